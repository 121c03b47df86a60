// Enabling and disabling two-factor sign-in with their audit rows, shared by
// the JSON API (./routes.ts) and the account pages (./pages.ts).
import type { Deps } from "../../app";
import type { Actor } from "../../identity/auth";
import { verifyPassword } from "../../identity/passwords";
import { auditActorOf, auditContext, recordAudit } from "../audit/record";
import { findPasswordHash } from "../users/queries";

type Person = Extract<Actor, { userId: string }>;

export function mfaService(deps: Pick<Deps, "db" | "mfa">) {
  const { db, mfa } = deps;

  /** The recovery codes once a first code confirms enrolment; null for a wrong code. */
  function confirm(actor: Person, request: Request, code: string): Promise<string[] | null> {
    return db.withTenant(actor.tenantId, async (tx) => {
      const recovery = await mfa.confirmEnrolment(tx, actor.tenantId, actor.userId, code);
      if (recovery) await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), { action: "mfa.enable", target: { type: "user", id: actor.userId } });
      return recovery;
    });
  }

  /** Turns it off only with both factors again (re-authentication); false when either is wrong. */
  function disable(actor: Person, request: Request, proof: { password: string; code: string }): Promise<boolean> {
    return db.withTenant(actor.tenantId, async (tx) => {
      const passwordOk = await verifyPassword(proof.password, await findPasswordHash(tx, actor.tenantId, actor.userId));
      if (!passwordOk || !(await mfa.verifyCode(tx, actor.tenantId, actor.userId, proof.code))) return false;
      await mfa.disable(tx, actor.tenantId, actor.userId);
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), { action: "mfa.disable", target: { type: "user", id: actor.userId } });
      return true;
    });
  }

  return { confirm, disable };
}
