// Sign-up and login, shared by the JSON API and the dashboard's forms.
import type { Deps } from "../../app";
import { hashPassword, verifyPassword } from "../../identity/passwords";
import { insertRefreshToken, type TokenUser } from "../../identity/refresh-tokens";
import type { TenantSql } from "../../platform/db";
import { Conflict, HttpError, Unauthorized } from "../../platform/errors";
import type { Site } from "../../tenancy/hosts";
import { findLoginCandidate, findUser, insertTenant, insertUser } from "./queries";
import type { LoginInput, SignupInput } from "./schema";
import { auditContext, recordAudit } from "../audit/record";
import { requestMeta } from "../../platform/http";

export type TokenPair = { accessToken: string; refreshToken: string; expiresIn: number };

const INVALID_LOGIN = "The email or password is incorrect.";

export function createAuthService(deps: Deps) {
  const { db, accessTokens, rateLimits, config } = deps;

  async function issuePair(tx: TenantSql, user: TokenUser): Promise<TokenPair> {
    const refreshToken = await insertRefreshToken(tx, { userId: user.id, tenantId: user.tenant_id, ttlDays: config.REFRESH_TOKEN_TTL_DAYS });
    return { accessToken: await accessTokens.sign(user), refreshToken, expiresIn: accessTokens.ttlSeconds };
  }

  async function signUp(input: SignupInput, request: Request) {
    await rateLimits.beforeSignup(requestMeta(request).ip);
    const passwordHash = await hashPassword(input.password);
    const tenantId = crypto.randomUUID();
    try {
      return await db.withTenant(tenantId, async (tx) => {
        const tenant = await insertTenant(tx, { id: tenantId, name: input.agency_name, subdomain: input.subdomain });
        const user = await insertUser(tx, tenantId, {
          email: input.email,
          passwordHash,
          firstName: input.first_name,
          lastName: input.last_name,
          role: "owner",
        });
        const actor = { type: "user" as const, id: user.id, label: user.email };
        await recordAudit(tx, tenantId, auditContext(request, actor), { action: "tenants.create", target: { type: "tenant", id: tenantId } });
        return { tenant, user, pair: await issuePair(tx, user) };
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
  }

  /** On a tenant host only that tenant's users may log in; the answer never says why a login failed. */
  async function logIn(input: LoginInput, site: Site, request: Request) {
    await rateLimits.beforeLogin(requestMeta(request).ip, input.email);
    const candidate = await findLoginCandidate(db.sql, input.email);
    const passwordOk = await verifyPassword(input.password, candidate?.password_hash);
    const allowed =
      candidate && passwordOk && candidate.is_active && candidate.tenant_active &&
      (site.kind !== "tenant" || site.tenant.id === candidate.tenant_id);
    if (!allowed) {
      await rateLimits.loginFailed(input.email);
      // Recorded in the account's own tenant only: a failure on another tenant's
      // host must not tell that tenant the account exists.
      if (candidate && (site.kind !== "tenant" || site.tenant.id === candidate.tenant_id)) {
        const actor = { type: "anonymous" as const, id: candidate.id, label: input.email };
        await db.withTenant(candidate.tenant_id, (tx) =>
          recordAudit(tx, candidate.tenant_id, auditContext(request, actor), { action: "auth.login_failed", target: { type: "user", id: candidate.id } }),
        );
      }
      throw Unauthorized(INVALID_LOGIN);
    }
    await rateLimits.loginSucceeded(input.email);
    return db.withTenant(candidate.tenant_id, async (tx) => {
      const user = await findUser(tx, candidate.tenant_id, candidate.id);
      if (!user) throw Unauthorized(INVALID_LOGIN);
      const actor = { type: "user" as const, id: user.id, label: user.email };
      await recordAudit(tx, user.tenant_id, auditContext(request, actor), { action: "auth.login", target: { type: "user", id: user.id } });
      return { user, pair: await issuePair(tx, user) };
    });
  }

  return { signUp, logIn, issuePair };
}

export type AuthService = ReturnType<typeof createAuthService>;

function uniqueViolation(error: unknown): HttpError | undefined {
  const { code, constraint_name } = error as { code?: string; constraint_name?: string };
  if (code !== "23505") return undefined;
  if (constraint_name === "tenants_subdomain_key") return Conflict("subdomain_taken", "That subdomain is already taken.");
  if (constraint_name === "users_email_key") return Conflict("email_taken", "An account with that email already exists.");
  return Conflict("conflict", "That already exists.");
}
