// Access tokens (JWT HS256, SPEC §4) and their revocation.
//
// Revocation lives in Postgres (revoked_access_tokens, users.tokens_valid_after)
// and is mirrored in Redis for the hot path. A marker key tells whether the
// mirror is warm: after a FLUSHALL it is reloaded from Postgres before any token
// is trusted, so a flush can never resurrect a revoked token.
import { jwt } from "@elysiajs/jwt";
import type Redis from "ioredis";
import type { Sql, WithTenant } from "../platform/db";

export type Role = "owner" | "admin" | "member";

export type AccessClaims = {
  user_id: string;
  email: string;
  tenant_id: string;
  role: Role;
  jti: string;
  iat: number;
  exp: number;
};

type UserState = { active: boolean; role: Role; valid_after_ms: number };

const WARM_KEY = "auth:revocations-warm";
const denyKey = (jti: string) => `auth:deny:${jti}`;
const userKey = (userId: string) => `auth:user:${userId}`;
const USER_STATE_SECONDS = 60;
const VERIFIED_TOKENS_KEPT = 4_096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createAccessTokens(options: { secret: string; ttlSeconds: number; sql: Sql; withTenant: WithTenant; redis: Redis }) {
  const { ttlSeconds, sql, withTenant, redis } = options;
  const signer = jwt({ name: "accessJwt", secret: options.secret, alg: "HS256" }).decorator.accessJwt;

  function sign(user: { id: string; email: string; tenant_id: string; role: Role }) {
    const now = Math.floor(Date.now() / 1000);
    return signer.sign({ user_id: user.id, email: user.email, tenant_id: user.tenant_id, role: user.role, jti: crypto.randomUUID(), exp: now + ttlSeconds });
  }

  // Tokens that passed verification, by their exact text. A client sends the
  // same token for its whole life, and the WebCrypto HMAC check was the largest
  // single cost of an authenticated API request (bench/RESULTS.md). Only a
  // verified token enters; expiry is re-checked on every hit; revocation is
  // `check`, per request as before. Oldest-first eviction bounds the memory.
  const verified = new Map<string, AccessClaims>();

  /** Signature, algorithm and required claims only; revocation is `check`. */
  async function verify(token: string): Promise<AccessClaims | null> {
    const known = verified.get(token);
    if (known && known.exp > Date.now() / 1000) return known;
    if (known) verified.delete(token);
    // Pinning the algorithm defeats `alg: none` and HS512/RS256 confusion;
    // requiring the claims refuses tokens that would never expire.
    const payload = await signer.verify(token, { algorithms: ["HS256"], requiredClaims: ["exp", "iat", "jti", "user_id", "tenant_id"] });
    if (!payload) return null;
    const claims = payload as Partial<AccessClaims>;
    if (typeof claims.user_id !== "string" || !UUID.test(claims.user_id)) return null;
    if (typeof claims.tenant_id !== "string" || !UUID.test(claims.tenant_id)) return null;
    if (typeof claims.jti !== "string" || !UUID.test(claims.jti)) return null;
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
    verified.set(token, Object.freeze(claims as AccessClaims));
    return claims as AccessClaims;
  }

  async function warmRevocations() {
    const rows = await sql<{ jti: string; expires_at: Date }[]>`select jti, expires_at from app_recent_revocations()`;
    const pipeline = redis.pipeline();
    for (const row of rows) pipeline.set(denyKey(row.jti), "1", "PX", Math.max(1, row.expires_at.getTime() - Date.now()));
    pipeline.set(WARM_KEY, "1");
    await pipeline.exec();
  }

  async function loadUserState(claims: AccessClaims): Promise<UserState | null> {
    const [row] = await withTenant(claims.tenant_id, (tx) => tx<{ active: boolean; role: Role; valid_after_ms: number }[]>`
      select u.is_active and t.is_active as active, u.role,
        coalesce(extract(epoch from nullif(u.tokens_valid_after, '-infinity')) * 1000, 0)::float8 as valid_after_ms
      from users u join tenants t on t.id = u.tenant_id
      where u.tenant_id = ${claims.tenant_id} and u.id = ${claims.user_id}`);
    if (!row) return null;
    await redis.set(userKey(claims.user_id), JSON.stringify(row), "EX", USER_STATE_SECONDS);
    return row;
  }

  /** Verified and not revoked: the caller's current role, or null. One Redis round trip when warm. */
  async function check(claims: AccessClaims): Promise<{ role: Role } | null> {
    let [warm, denied, cachedState] = await redis.mget(WARM_KEY, denyKey(claims.jti), userKey(claims.user_id));
    if (warm === null) {
      await warmRevocations();
      denied = await redis.get(denyKey(claims.jti));
    }
    if (denied !== null) return null;
    const state = cachedState ? (JSON.parse(cachedState) as UserState) : await loadUserState(claims);
    if (!state || !state.active) return null;
    if (claims.iat * 1000 < state.valid_after_ms) return null;
    return { role: state.role };
  }

  /** Ends one access token before its expiry (logout). */
  async function revoke(tx: Sql | Parameters<Parameters<WithTenant>[1]>[0], claims: AccessClaims) {
    const expiresAt = new Date(claims.exp * 1000);
    await tx`insert into revoked_access_tokens (jti, tenant_id, user_id, expires_at)
      values (${claims.jti}, ${claims.tenant_id}, ${claims.user_id}, ${expiresAt}) on conflict do nothing`;
  }

  async function mirrorRevocation(claims: AccessClaims) {
    await redis.set(denyKey(claims.jti), "1", "PX", Math.max(1, claims.exp * 1000 - Date.now()));
  }

  /** Drops the cached user state so a role change or deactivation applies at once. */
  function forgetUser(userId: string) {
    return redis.del(userKey(userId));
  }

  return { sign, verify, check, revoke, mirrorRevocation, forgetUser, ttlSeconds };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;
