// API keys (SPEC §4): `agk_` + 256 random bits, shown once, stored as a
// sha256 digest. Postgres is the truth; Redis holds a short-lived copy of each
// key's state so a busy integration costs one Redis round trip per request.
//
// Revocation must win on every replica at once. Revoking overwrites the cached
// state with a tombstone, and a reader only ever fills the cache with SET NX,
// so a reader that looked the key up just before the revocation cannot put the
// live state back over the tombstone.
import type Redis from "ioredis";
import type { Sql, WithTenant } from "../platform/db";
import { digest, randomToken } from "./secrets";

export type ApiKeyRole = "member" | "admin";

export type ApiKeyState = { id: string; tenantId: string; name: string; role: ApiKeyRole; expiresAtMs: number | null; revoked: boolean };

export const API_KEY_PATTERN = /^agk_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 12; // "agk_" and 8 characters: enough to tell keys apart, useless to guess with
const CACHE_SECONDS = 60;
const TOUCH_SECONDS = 60;
const cacheKey = (hash: Buffer) => `apikey:${hash.toString("hex")}`;
const touchKey = (id: string) => `apikey:touched:${id}`;

/** A new key: the plaintext (shown once), its digest and its display prefix. */
export function generateApiKey() {
  const key = `agk_${randomToken(32)}`;
  return { key, hash: digest(key), prefix: key.slice(0, PREFIX_LENGTH) };
}

export function isApiKey(token: string) {
  return token.startsWith("agk_");
}

type KeyRow = { id: string; tenant_id: string; name: string; role: ApiKeyRole; expires_at: Date | null; revoked_at: Date | null; tenant_active: boolean };

export function createApiKeys(options: { sql: Sql; withTenant: WithTenant; redis: Redis }) {
  const { sql, withTenant, redis } = options;

  async function load(hash: Buffer): Promise<ApiKeyState | null> {
    const [row] = await sql<KeyRow[]>`select * from app_api_key_by_hash(${hash})`;
    if (!row) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      name: row.name,
      role: row.role,
      expiresAtMs: row.expires_at?.getTime() ?? null,
      revoked: row.revoked_at !== null || !row.tenant_active,
    };
  }

  /** The live key for `key`, or null (unknown, malformed, revoked, expired). */
  async function authenticate(key: string): Promise<ApiKeyState | null> {
    if (!API_KEY_PATTERN.test(key)) return null;
    const hash = digest(key);
    const cached = await redis.get(cacheKey(hash));
    let state: ApiKeyState | null;
    if (cached !== null) {
      state = cached === "" ? null : (JSON.parse(cached) as ApiKeyState);
    } else {
      state = await load(hash);
      await redis.set(cacheKey(hash), state ? JSON.stringify(state) : "", "EX", CACHE_SECONDS, "NX");
    }
    if (!state || state.revoked) return null;
    if (state.expiresAtMs !== null && state.expiresAtMs <= Date.now()) return null;
    return state;
  }

  /** Records use in `last_used_at`, at most once a minute per key (one Redis SET otherwise). */
  async function touch(state: ApiKeyState) {
    const first = await redis.set(touchKey(state.id), "1", "EX", TOUCH_SECONDS, "NX");
    if (first !== "OK") return;
    await withTenant(state.tenantId, (tx) => tx`update api_keys set last_used_at = now() where tenant_id = ${state.tenantId} and id = ${state.id}`);
  }

  /** Call after the revoking transaction committed: every replica refuses the key from now on. */
  async function forget(keyHash: Buffer) {
    await redis.set(cacheKey(keyHash), JSON.stringify({ revoked: true }), "EX", CACHE_SECONDS);
  }

  return { authenticate, touch, forget };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
