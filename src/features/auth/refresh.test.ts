// Refresh rotation, reuse detection, the concurrent-refresh race, logout.
import { describe, expect, test } from "bun:test";
import { call, makeApp, signupTenant } from "../../../test/helpers";

const target = makeApp();
const refresh = (refreshToken: string, host?: string) => call(target, "POST", "/api/auth/refresh", { host, body: { refresh_token: refreshToken } });

describe("POST /api/auth/refresh", () => {
  test("rotates: a new pair, and the old refresh token no longer works", async () => {
    const owner = await signupTenant(target);
    const first = await refresh(owner.refreshToken);
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).not.toBe(owner.refreshToken);
    expect((await call(target, "GET", "/api/users/me", { token: first.json.access_token })).status).toBe(200);
    const second = await refresh(first.json.refresh_token);
    expect(second.status).toBe(200);
  });

  test("reuse of a rotated token revokes the whole family", async () => {
    const owner = await signupTenant(target);
    const rotated = await refresh(owner.refreshToken);
    expect(rotated.status).toBe(200);
    const replay = await refresh(owner.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.json.error.code).toBe("unauthenticated");
    // The legitimate holder's newer token died with the family.
    expect((await refresh(rotated.json.refresh_token)).status).toBe(401);
  });

  test("two concurrent refreshes with one token: exactly one succeeds", async () => {
    const owner = await signupTenant(target);
    const results = await Promise.all([refresh(owner.refreshToken), refresh(owner.refreshToken), refresh(owner.refreshToken)]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 401, 401]);
  });

  test("unknown, malformed and expired tokens are 401 or 422, never 500", async () => {
    const owner = await signupTenant(target);
    expect((await refresh("definitely-not-a-token")).status).toBe(401);
    expect((await call(target, "POST", "/api/auth/refresh", { body: { refresh_token: 42 } })).status).toBe(422);
    await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`update refresh_tokens set expires_at = now() - interval '1 second' where tenant_id = ${owner.tenant.id}`);
    expect((await refresh(owner.refreshToken)).status).toBe(401);
  });

  test("a refresh token of tenant A is refused, and not spent, on tenant B's host", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    expect((await refresh(a.refreshToken, b.host)).status).toBe(401);
    expect((await refresh(a.refreshToken, a.host)).status).toBe(200);
  });

  test("a deactivated user's refresh token is refused", async () => {
    const owner = await signupTenant(target);
    await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`update users set is_active = false where tenant_id = ${owner.tenant.id}`);
    expect((await refresh(owner.refreshToken)).status).toBe(401);
  });
});

describe("POST /api/auth/logout", () => {
  test("revokes the refresh family and denylists the access token", async () => {
    const owner = await signupTenant(target);
    const logout = await call(target, "POST", "/api/auth/logout", { token: owner.accessToken, body: { refresh_token: owner.refreshToken } });
    expect(logout.status).toBe(204);
    expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(401);
    expect((await refresh(owner.refreshToken)).status).toBe(401);
  });

  test("revocation survives a Redis flush", async () => {
    const owner = await signupTenant(target);
    const other = await call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: owner.password } });
    await call(target, "POST", "/api/auth/logout", { token: owner.accessToken, body: { refresh_token: owner.refreshToken } });
    await target.deps.redis.flushdb();
    expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(401);
    // Only the logged-out token died: the user's other session still works.
    expect((await call(target, "GET", "/api/users/me", { token: other.json.access_token })).status).toBe(200);
  });

  test("needs a bearer token", async () => {
    const owner = await signupTenant(target);
    expect((await call(target, "POST", "/api/auth/logout", { body: { refresh_token: owner.refreshToken } })).status).toBe(401);
  });

  test("tokens issued before tokens_valid_after are dead", async () => {
    const owner = await signupTenant(target);
    await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`update users set tokens_valid_after = now() + interval '1 second' where tenant_id = ${owner.tenant.id}`);
    await target.deps.accessTokens.forgetUser(owner.user.id);
    expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(401);
  });
});
