// Sign-up and login, shared by the JSON API and the dashboard's forms.
import type { Deps } from "../../app";
import { hashPassword, verifyPassword } from "../../identity/passwords";
import { insertRefreshToken, type TokenUser } from "../../identity/refresh-tokens";
import type { TenantSql } from "../../platform/db";
import { Conflict, HttpError, Unauthorized } from "../../platform/errors";
import type { Site } from "../../tenancy/hosts";
import { findLoginCandidate, findUser, insertTenant, insertUser } from "./queries";
import type { UserRow } from "./present";
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

  /**
   * Checks an email and password (step one of every login, API or dashboard).
   * On a tenant host only that tenant's users pass; the answer never says why
   * a login failed. Failures are counted and audited here; success is not
   * recorded until the login completes (after a second factor, if any).
   */
  async function authenticate(input: LoginInput, site: Site, request: Request): Promise<UserRow> {
    await rateLimits.beforeLogin(requestMeta(request).ip, input.email);
    const candidate = await findLoginCandidate(db.sql, input.email);
    const passwordOk = await verifyPassword(input.password, candidate?.password_hash);
    const allowed =
      candidate && passwordOk && candidate.is_active && candidate.tenant_active &&
      (site.kind !== "tenant" || site.tenant.id === candidate.tenant_id);
    if (!allowed) {
      await rateLimits.loginFailed(input.email);
      deps.log.warn({ request_id: requestMeta(request).requestId, tenant_id: candidate?.tenant_id }, "login failed");
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
    const user = await db.withTenant(candidate.tenant_id, (tx) => findUser(tx, candidate.tenant_id, candidate.id));
    if (!user) throw Unauthorized(INVALID_LOGIN);
    return user;
  }

  /**
   * What a user whose password was right must still do: nothing, answer a
   * second-factor challenge, or enrol first because the agency requires it.
   */
  async function secondFactor(user: UserRow): Promise<"none" | "challenge" | "enrolment_required"> {
    return db.withTenant(user.tenant_id, async (tx) => {
      if (await deps.mfa.isEnabled(tx, user.tenant_id, user.id)) return "challenge";
      const [tenant] = await tx<{ require_mfa: boolean }[]>`select require_mfa from tenants where id = ${user.tenant_id}`;
      return tenant?.require_mfa ? "enrolment_required" : "none";
    });
  }

  /** Records a completed sign-in; `work` runs in the same transaction (issue a token pair, a session…). */
  function completeLogin<T>(user: UserRow, request: Request, work: (tx: TenantSql) => Promise<T>): Promise<T> {
    return db.withTenant(user.tenant_id, async (tx) => {
      const actor = { type: "user" as const, id: user.id, label: user.email };
      await recordAudit(tx, user.tenant_id, auditContext(request, actor), { action: "auth.login", target: { type: "user", id: user.id } });
      return work(tx);
    });
  }

  return { signUp, authenticate, secondFactor, completeLogin, issuePair };
}

export type AuthService = ReturnType<typeof createAuthService>;

function uniqueViolation(error: unknown): HttpError | undefined {
  const { code, constraint_name } = error as { code?: string; constraint_name?: string };
  if (code !== "23505") return undefined;
  if (constraint_name === "tenants_subdomain_key") return Conflict("subdomain_taken", "That subdomain is already taken.");
  if (constraint_name === "users_email_key") return Conflict("email_taken", "An account with that email already exists.");
  return Conflict("conflict", "That already exists.");
}
