// Bearer tokens: the revocation check and the per-user API limit run side by
// side (one Redis round trip), and revoked still beats over-limit.
import { describe, expect, test } from "bun:test";
import { call, makeApp, signupTenant } from "../../test/helpers";

const target = makeApp({}, { rateLimits: { apiPerCredential: { points: 3, duration: 60 } } });

describe("bearer token: revocation and the per-user API limit", () => {
  test("a revoked token is 401 and spends none of its user's budget; over the limit is 429; revoked stays 401 then", async () => {
    const owner = await signupTenant(target);
    const other = await call(target, "POST", "/api/auth/login", { host: owner.host, body: { email: owner.email, password: owner.password } });
    const logout = await call(target, "POST", "/api/auth/logout", { token: owner.accessToken, body: { refresh_token: owner.refreshToken } });
    expect(logout.status).toBe(204); // 1 of the user's 3 points
    for (let index = 0; index < 5; index++) expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(401);
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await call(target, "GET", "/api/users/me", { token: other.json.access_token })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(401);
  });
});
