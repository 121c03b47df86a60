// Password reset and email change by emailed link: single-use, short-lived,
// only a hash of the token stored. Shared by the API and the dashboard pages.
import type { Deps } from "../../app";
import { hashPassword, verifyPassword } from "../../identity/passwords";
import { revokeAllRefreshTokens } from "../../identity/refresh-tokens";
import { digest, randomToken } from "../../identity/secrets";
import type { TenantSql } from "../../platform/db";
import { Conflict, Unauthorized } from "../../platform/errors";
import { requestMeta } from "../../platform/http";
import { tenantOrigin } from "../../tenancy/urls";
import { auditContext, recordAudit } from "../audit/record";
import { findLoginCandidate } from "../auth/queries";

const RESET_MINUTES = 30;
const EMAIL_CHANGE_HOURS = 24;
type TokenKind = "password_reset" | "email_change";

export function createAccountRecovery(deps: Deps) {
  const { db, config, log } = deps;

  async function tenantOfToken(kind: TokenKind, token: string) {
    const [row] = await db.sql<{ tenant_id: string | null }[]>`select app_account_token_tenant(${kind}, ${digest(token)}) as tenant_id`;
    return row?.tenant_id ?? null;
  }

  async function subdomainOf(tx: TenantSql, tenantId: string) {
    const [row] = await tx<{ subdomain: string }[]>`select subdomain from tenants where id = ${tenantId}`;
    return row!.subdomain;
  }

  /** Always resolves the same way, whether or not the email has an account. */
  async function requestReset(email: string, request: Request): Promise<void> {
    await deps.rateLimits.beforePasswordReset(requestMeta(request).ip, email);
    const candidate = await findLoginCandidate(db.sql, email);
    if (!candidate || !candidate.is_active || !candidate.tenant_active) return;
    const token = randomToken(32);
    const subdomain = await db.withTenant(candidate.tenant_id, async (tx) => {
      await tx`insert into password_resets (tenant_id, user_id, token_hash, expires_at)
        values (${candidate.tenant_id}, ${candidate.id}, ${digest(token)}, now() + make_interval(mins => ${RESET_MINUTES}))`;
      const actor = { type: "anonymous" as const, id: candidate.id, label: email };
      await recordAudit(tx, candidate.tenant_id, auditContext(request, actor), { action: "users.password_reset_request", target: { type: "user", id: candidate.id } });
      return subdomainOf(tx, candidate.tenant_id);
    });
    const link = `${tenantOrigin(config, subdomain, request)}/reset-password?token=${encodeURIComponent(token)}`;
    // Not awaited: the answer must not wait on (or reveal) the mail server.
    void deps.mailer
      .send({ to: email, subject: "Reset your Aggios password", text: `Someone asked to reset your password. If it was you, open this link within ${RESET_MINUTES} minutes:\n\n${link}\n\nIf not, ignore this email.` })
      .catch((error: Error) => log.error({ err: error.message }, "password reset email failed"));
  }

  /** Sets the new password and ends every session and refresh family of the user. */
  async function reset(token: string, password: string, request: Request): Promise<void> {
    const tenantId = await tenantOfToken("password_reset", token);
    if (!tenantId) throw Unauthorized("The reset link is invalid or has expired.");
    const passwordHash = await hashPassword(password);
    const userId = await db.withTenant(tenantId, async (tx) => {
      const [used] = await tx<{ user_id: string }[]>`
        update password_resets set used_at = now()
        where tenant_id = ${tenantId} and token_hash = ${digest(token)} and used_at is null and expires_at > now()
        returning user_id`;
      if (!used) return null;
      await tx`update users set password_hash = ${passwordHash}, tokens_valid_after = now(), updated_at = now()
        where tenant_id = ${tenantId} and id = ${used.user_id}`;
      // Every other outstanding link dies too.
      await tx`update password_resets set used_at = now() where tenant_id = ${tenantId} and user_id = ${used.user_id} and used_at is null`;
      await revokeAllRefreshTokens(tx, tenantId, used.user_id);
      await recordAudit(tx, tenantId, auditContext(request, { type: "user", id: used.user_id }), { action: "users.password_reset", target: { type: "user", id: used.user_id } });
      return used.user_id;
    });
    if (!userId) throw Unauthorized("The reset link is invalid or has expired.");
    await deps.sessions.endAllForUser(userId);
    await deps.accessTokens.forgetUser(userId);
  }

  /** Step one of an email change: the current password, then a link to the new address. */
  async function requestEmailChange(user: { id: string; tenant_id: string }, input: { password: string; new_email: string }, request: Request) {
    const token = randomToken(32);
    const subdomain = await db.withTenant(user.tenant_id, async (tx) => {
      const [row] = await tx<{ password_hash: string; email: string }[]>`select password_hash, email from users where tenant_id = ${user.tenant_id} and id = ${user.id}`;
      if (!row || !(await verifyPassword(input.password, row.password_hash))) throw Unauthorized("The password is incorrect.");
      await tx`insert into email_changes (tenant_id, user_id, new_email, token_hash, expires_at)
        values (${user.tenant_id}, ${user.id}, ${input.new_email}, ${digest(token)}, now() + make_interval(hours => ${EMAIL_CHANGE_HOURS}))`;
      await recordAudit(tx, user.tenant_id, auditContext(request, { type: "user", id: user.id, label: row.email }), { action: "users.email_change_request", target: { type: "user", id: user.id } });
      return subdomainOf(tx, user.tenant_id);
    });
    const link = `${tenantOrigin(config, subdomain, request)}/confirm-email?token=${encodeURIComponent(token)}`;
    await deps.mailer.send({ to: input.new_email, subject: "Confirm your new Aggios email", text: `Open this link within ${EMAIL_CHANGE_HOURS} hours to make this your sign-in email:\n\n${link}` });
  }

  /** Step two: the link from the new address's inbox. */
  async function confirmEmailChange(token: string, request: Request): Promise<string> {
    const tenantId = await tenantOfToken("email_change", token);
    if (!tenantId) throw Unauthorized("The confirmation link is invalid or has expired.");
    try {
      const userId = await db.withTenant(tenantId, async (tx) => {
        const [change] = await tx<{ user_id: string; new_email: string }[]>`
          update email_changes set used_at = now()
          where tenant_id = ${tenantId} and token_hash = ${digest(token)} and used_at is null and expires_at > now()
          returning user_id, new_email`;
        if (!change) return null;
        await tx`update users set email = ${change.new_email}, updated_at = now() where tenant_id = ${tenantId} and id = ${change.user_id}`;
        await recordAudit(tx, tenantId, auditContext(request, { type: "user", id: change.user_id, label: change.new_email }), { action: "users.email_change", target: { type: "user", id: change.user_id } });
        return change.user_id;
      });
      if (!userId) throw Unauthorized("The confirmation link is invalid or has expired.");
      await deps.accessTokens.forgetUser(userId);
      return userId;
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw Conflict("email_taken", "An account with that email already exists.");
      throw error;
    }
  }

  return { requestReset, reset, requestEmailChange, confirmEmailChange };
}
