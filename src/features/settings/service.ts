// Workspace settings, shared by PATCH /api/tenant and the /settings page:
// renaming, setting a custom domain, proving it with a DNS TXT record.
import type { Deps } from "../../app";
import type { Actor } from "../../identity/auth";
import { randomToken } from "../../identity/secrets";
import { Conflict, Forbidden, Invalid, NotFound } from "../../platform/errors";
import { auditActorOf, auditContext, recordAudit } from "../audit/record";
import { authorizeSettings } from "./policy";
import { listUsersWithoutMfa, revokeUserCredentials } from "../users/queries";
import { findTenantSettings, markDomainVerified, updateRequireMfa, updateTenantDomain, updateTenantName } from "./queries";
import type { UpdateTenantInput } from "./schema";

export const verificationRecordName = (domain: string) => `_aggios-verify.${domain}`;

export function settingsService(deps: Deps) {
  const { db, tenancy, config } = deps;

  async function update(actor: Actor, request: Request, input: UpdateTenantInput) {
    authorizeSettings(actor, "update");
    if (input.domain && (input.domain === config.BASE_DOMAIN || input.domain.endsWith(`.${config.BASE_DOMAIN}`))) {
      throw Invalid("The request is not valid.", [{ field: "domain", message: `must not be under ${config.BASE_DOMAIN}` }]);
    }
    try {
      const { before, after } = await db.withTenant(actor.tenantId, async (tx) => {
        const before = await findTenantSettings(tx, actor.tenantId);
        if (!before) throw NotFound();
        if (input.name !== undefined && input.name !== before.name) await updateTenantName(tx, actor.tenantId, input.name);
        if (input.domain !== undefined && input.domain !== before.domain) {
          await updateTenantDomain(tx, actor.tenantId, input.domain, input.domain ? `aggios-verify=${randomToken(24)}` : null);
        }
        const after = (await findTenantSettings(tx, actor.tenantId))!;
        const changed = (["name", "domain"] as const).filter((field) => before[field] !== after[field]);
        if (changed.length > 0) {
          await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
            action: "tenants.update",
            target: { type: "tenant", id: actor.tenantId },
            details: Object.fromEntries(changed.map((field) => [field, { from: before[field], to: after[field] }])),
          });
        }
        return { before, after };
      });
      await tenancy.invalidate(after, before.domain);
      return after;
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw Conflict("domain_taken", "Another workspace already uses that domain.");
      throw error;
    }
  }

  /** Looks up `_aggios-verify.<domain>`; the domain is served only once the token is there. */
  async function verifyDomain(actor: Actor, request: Request): Promise<boolean> {
    authorizeSettings(actor, "update");
    const settings = await db.withTenant(actor.tenantId, (tx) => findTenantSettings(tx, actor.tenantId));
    if (!settings?.domain || !settings.domain_verification_token) throw NotFound("Set a custom domain first.");
    if (settings.domain_verified_at) return true;
    const records = await deps.resolveTxt(verificationRecordName(settings.domain)).catch(() => [] as string[][]);
    if (!records.some((chunks) => chunks.join("") === settings.domain_verification_token)) return false;
    await db.withTenant(actor.tenantId, async (tx) => {
      await markDomainVerified(tx, actor.tenantId);
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "tenants.domain_verify",
        target: { type: "tenant", id: actor.tenantId },
        details: { domain: settings.domain },
      });
    });
    await tenancy.invalidate(settings, settings.domain);
    return true;
  }

  /**
   * The owner's sign-in policy. Turning it on signs out every member without a
   * second factor (sessions, refresh families, access tokens), so "required"
   * holds from now on, not from their next sign-in; they enrol when they next
   * sign in (sessions/second-factor.ts). The owner must use 2FA first, having
   * seen the flow work before imposing it on everyone.
   */
  async function setRequireMfa(actor: Actor, request: Request, required: boolean) {
    authorizeSettings(actor, "security");
    if (actor.kind === "api_key") throw Forbidden();
    const signedOut = await db.withTenant(actor.tenantId, async (tx) => {
      const before = await findTenantSettings(tx, actor.tenantId);
      if (!before) throw NotFound();
      if (before.require_mfa === required) return [];
      if (required && !(await deps.mfa.isEnabled(tx, actor.tenantId, actor.userId))) {
        throw Conflict("mfa_not_enabled", "Turn on two-factor sign-in for your own account first.");
      }
      await updateRequireMfa(tx, actor.tenantId, required);
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "tenants.update",
        target: { type: "tenant", id: actor.tenantId },
        details: { require_mfa: { from: before.require_mfa, to: required } },
      });
      if (!required) return [];
      const users = await listUsersWithoutMfa(tx, actor.tenantId);
      for (const user of users) await revokeUserCredentials(tx, actor.tenantId, user.id);
      return users.map((user) => user.id);
    });
    for (const userId of signedOut) {
      await deps.accessTokens.forgetUser(userId);
      await deps.sessions.endAllForUser(userId);
    }
    return signedOut.length;
  }

  return { update, verifyDomain, setRequireMfa };
}
