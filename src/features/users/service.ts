// Role changes and (de)activation, shared by the JSON API and the team page.
// Each one ends or refreshes what the user already holds: sessions, refresh
// tokens, the cached user state behind access tokens.
import type { Deps } from "../../app";
import type { Actor } from "../../identity/auth";
import { revokeAllRefreshTokens } from "../../identity/refresh-tokens";
import type { Role } from "../../identity/tokens";
import { NotFound } from "../../platform/errors";
import { auditActorOf, auditContext, recordAudit } from "../audit/record";
import { authorizeMember } from "./policy";
import { findMember, revokeUserCredentials, setMemberActive, updateMemberRole } from "./queries";

const callerOf = (actor: Actor) => ({ role: actor.role, userId: actor.kind === "api_key" ? undefined : actor.userId });

export function memberService(deps: Deps) {
  const { db, sessions, accessTokens } = deps;

  async function changeRole(actor: Actor, request: Request, userId: string, role: Exclude<Role, "owner">) {
    const member = await db.withTenant(actor.tenantId, async (tx) => {
      const member = await findMember(tx, actor.tenantId, userId);
      if (!member) throw NotFound("No such team member.");
      authorizeMember(callerOf(actor), "change_role", member);
      if (member.role === role) return member;
      await updateMemberRole(tx, actor.tenantId, userId, role);
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "users.role_change",
        target: { type: "user", id: userId },
        details: { from: member.role, to: role },
      });
      return { ...member, role };
    });
    await Promise.all([accessTokens.forgetUser(userId), sessions.updateRole(userId, role)]);
    return member;
  }

  async function setActive(actor: Actor, request: Request, userId: string, active: boolean) {
    const member = await db.withTenant(actor.tenantId, async (tx) => {
      const member = await findMember(tx, actor.tenantId, userId);
      if (!member) throw NotFound("No such team member.");
      authorizeMember(callerOf(actor), active ? "activate" : "deactivate", member);
      if (member.is_active === active) return member;
      await setMemberActive(tx, actor.tenantId, userId, active);
      if (!active) await revokeAllRefreshTokens(tx, actor.tenantId, userId);
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: active ? "users.activate" : "users.deactivate",
        target: { type: "user", id: userId },
      });
      return { ...member, is_active: active };
    });
    await accessTokens.forgetUser(userId);
    if (!active) await sessions.endAllForUser(userId);
    return member;
  }

  /** Signs a member out everywhere: dashboard sessions, refresh families, access tokens issued so far. */
  async function endSessions(actor: Actor, request: Request, userId: string) {
    const member = await db.withTenant(actor.tenantId, async (tx) => {
      const member = await findMember(tx, actor.tenantId, userId);
      if (!member) throw NotFound("No such team member.");
      authorizeMember(callerOf(actor), "end_sessions", member);
      await revokeUserCredentials(tx, actor.tenantId, userId);
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), { action: "users.sessions_end", target: { type: "user", id: userId } });
      return member;
    });
    await accessTokens.forgetUser(userId);
    const ended = await sessions.endAllForUser(userId);
    return { member, ended };
  }

  return { changeRole, setActive, endSessions };
}
