import { describe, expect, test } from "bun:test";
import { BASE, call, expectErrorShape, makeApp, PASSWORD, signupTenant, unique } from "../../../test/helpers";

const target = makeApp();

describe("POST /api/auth/signup", () => {
  test("creates the agency and its owner and returns a token pair", async () => {
    const subdomain = unique("acme");
    const response = await call(target, "POST", "/api/auth/signup", {
      host: BASE,
      body: { agency_name: "Acme & Co", subdomain, email: `Boss.${subdomain}@Example.test`, password: PASSWORD, first_name: "Ana", last_name: "Lima" },
    });
    expect(response.status).toBe(201);
    expect(response.json.tenant).toMatchObject({ name: "Acme & Co", subdomain, domain: null });
    expect(response.json.user).toMatchObject({ email: `boss.${subdomain}@example.test`, role: "owner", tenant_id: response.json.tenant.id });
    expect(response.json.user.password_hash).toBeUndefined();
    expect(response.json).toMatchObject({ token_type: "Bearer", expires_in: 900 });
    expect(response.json.refresh_token.length).toBeGreaterThanOrEqual(43);
  });

  test("stores an argon2id hash at or above OWASP's minimum", async () => {
    const owner = await signupTenant(target);
    const [row] = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select password_hash from users where tenant_id = ${owner.tenant.id}`);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$/);
    const [, m, t] = /m=(\d+),t=(\d+)/.exec(row!.password_hash)!;
    expect(Number(m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(t)).toBeGreaterThanOrEqual(2);
  });

  test("a taken subdomain or email is a 409", async () => {
    const first = await signupTenant(target);
    const sameSubdomain = await call(target, "POST", "/api/auth/signup", {
      host: BASE,
      body: { agency_name: "X", subdomain: first.tenant.subdomain, email: `${unique()}@example.test`, password: PASSWORD, first_name: "A", last_name: "B" },
    });
    expect(sameSubdomain.status).toBe(409);
    expectErrorShape(sameSubdomain.json, "subdomain_taken");
    const sameEmail = await call(target, "POST", "/api/auth/signup", {
      host: BASE,
      body: { agency_name: "X", subdomain: unique("x"), email: first.email.toUpperCase(), password: PASSWORD, first_name: "A", last_name: "B" },
    });
    expect(sameEmail.status).toBe(409);
    expectErrorShape(sameEmail.json, "email_taken");
  });

  test("invalid fields are a 422 naming each field, without echoing the password", async () => {
    const response = await call(target, "POST", "/api/auth/signup", {
      host: BASE,
      body: { agency_name: "", subdomain: "Www", email: "nope", password: "short-pw", first_name: "A", extra: 1 },
    });
    expect(response.status).toBe(422);
    expectErrorShape(response.json, "validation_failed");
    const fields = response.json.error.details.map((detail: { field: string }) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(["agency_name", "subdomain", "email", "password", "last_name"]));
    expect(response.text).not.toContain("short-pw");
  });

  test("reserved and malformed subdomains are refused", async () => {
    for (const subdomain of ["api", "www", "admin", "-bad", "bad-", "ab", "under_score", "dot.ted", "x".repeat(64)]) {
      const response = await call(target, "POST", "/api/auth/signup", {
        host: BASE,
        body: { agency_name: "X", subdomain, email: `${unique()}@example.test`, password: PASSWORD, first_name: "A", last_name: "B" },
      });
      expect(response.status).toBe(422);
    }
  });

  test("sign-up is rate-limited per IP with Retry-After", async () => {
    const ip = "192.0.2.77";
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 12; attempt++) {
      const subdomain = unique("rl");
      const body = { agency_name: "Busy", subdomain, email: `${subdomain}@example.test`, password: PASSWORD, first_name: "A", last_name: "B" };
      const response = await call(target, "POST", "/api/auth/signup", { host: BASE, ip, body });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("retry-after");
    }
    expect(statuses.slice(0, 10).every((status) => status === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    await target.deps.redis.del(`rl:signup:ip:${ip}`);
  });
});

describe("POST /api/auth/login", () => {
  test("returns a token pair and the user", async () => {
    const owner = await signupTenant(target);
    const response = await call(target, "POST", "/api/auth/login", { body: { email: owner.email.toUpperCase(), password: PASSWORD } });
    expect(response.status).toBe(200);
    expect(response.json.user.id).toBe(owner.user.id);
    expect(response.json.access_token).toBeString();
    expect(response.json.refresh_token).toBeString();
  });

  test("answers identically for an unknown email and a wrong password", async () => {
    const owner = await signupTenant(target);
    const wrong = await call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: "not the password" } });
    const unknown = await call(target, "POST", "/api/auth/login", { body: { email: `${unique()}@example.test`, password: "not the password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.error.message).toBe(unknown.json.error.message);
    expect(wrong.json.error.code).toBe(unknown.json.error.code);
  });

  test("on a tenant host only that tenant's users may log in", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    const own = await call(target, "POST", "/api/auth/login", { host: a.host, body: { email: a.email, password: PASSWORD } });
    expect(own.status).toBe(200);
    const other = await call(target, "POST", "/api/auth/login", { host: b.host, body: { email: a.email, password: PASSWORD } });
    expect(other.status).toBe(401);
  });

  test("failures beyond five per account add a doubling delay, not a lock: the right password works once it passes", async () => {
    const owner = await signupTenant(target);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      statuses.push((await call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: `wrong-password-${attempt}` } })).status);
    }
    // Five free failures, the sixth starts a 1 s delay, the seventh arrives inside it.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const blocked = await call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    await Bun.sleep(1100);
    expect((await call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: PASSWORD } })).status).toBe(200);
  });

  test("login is rate-limited per IP", async () => {
    const ip = "192.0.2.99";
    let last;
    for (let attempt = 0; attempt < 31; attempt++) {
      last = await call(target, "POST", "/api/auth/login", { ip, body: { email: `${unique()}@example.test`, password: "whatever-password" } });
    }
    expect(last!.status).toBe(429);
    await target.deps.redis.del(`rl:login:ip:${ip}`);
  });

  test("writes audit rows for success and failure", async () => {
    const owner = await signupTenant(target);
    await call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: "wrong password!" } });
    await call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: PASSWORD } });
    const rows = await target.deps.db.withTenant(owner.tenant.id, (tx) =>
      tx`select action, actor_id, target_id from audit_log where tenant_id = ${owner.tenant.id} order by created_at`);
    expect(rows.map((row) => row.action)).toEqual(["tenants.create", "auth.login_failed", "auth.login"]);
    expect(rows.every((row) => row.actor_id === owner.user.id)).toBe(true);
  });
});
