import { describe, expect, test } from "bun:test";
import { call, expectErrorShape, makeApp, signupTenant, type SignedUp } from "../../../test/helpers";

const target = makeApp({}, { rateLimits: { apiPerCredential: { points: 5, duration: 60 } } });
// Most tests use an app with a generous limit; one proves the limit itself.
const roomy = makeApp();

async function createKey(owner: SignedUp, body: Record<string, unknown> = {}, app = roomy) {
  const response = await call(app, "POST", "/api/api-keys", { token: owner.accessToken, body: { name: "Zapier", ...body } });
  if (response.status !== 201) throw new Error(`create key failed: ${response.status} ${response.text}`);
  return response.json as { id: string; key: string; prefix: string; role: string };
}

describe("API keys", () => {
  test("are created, shown once, listed without the secret and stored only as a digest", async () => {
    const owner = await signupTenant(roomy);
    const created = await call(roomy, "POST", "/api/api-keys", { token: owner.accessToken, body: { name: "CRM sync", role: "admin" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "CRM sync", role: "admin", expires_at: null, last_used_at: null });
    expect(created.json.key).toMatch(/^agk_[A-Za-z0-9_-]{43}$/);
    expect(created.json.key.startsWith(created.json.prefix)).toBe(true);

    const list = await call(roomy, "GET", "/api/api-keys", { token: owner.accessToken });
    expect(list.status).toBe(200);
    expect(list.json.data.map((key: { id: string }) => key.id)).toEqual([created.json.id]);
    expect(list.json.data[0].key).toBeUndefined();
    expect(list.text).not.toContain(created.json.key);
    expect(list.json.next_cursor).toBeNull();

    const rows = await roomy.deps.db.withTenant(owner.tenant.id, (tx) => tx`select * from api_keys where tenant_id = ${owner.tenant.id}`);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0], (_key, value) => (value?.type === "Buffer" ? Buffer.from(value.data as number[]).toString("hex") : value));
    expect(stored).not.toContain(created.json.key);
    expect(stored).not.toContain(created.json.key.slice(12));
    const expected = new Bun.CryptoHasher("sha256").update(created.json.key).digest("hex");
    expect(Buffer.from(rows[0]!.key_hash).toString("hex")).toBe(expected);
  });

  test("authenticate as the tenant, record last use and attribute changes to the key in the audit log", async () => {
    const owner = await signupTenant(roomy);
    const key = await createKey(owner, { role: "admin" });
    const list = await call(roomy, "GET", "/api/api-keys", { token: key.key });
    expect(list.status).toBe(200);
    const second = await call(roomy, "POST", "/api/api-keys", { token: owner.accessToken, body: { name: "Other" } });
    const revoke = await call(roomy, "DELETE", `/api/api-keys/${second.json.id}`, { token: key.key });
    expect(revoke.status).toBe(204);
    const rows = await roomy.deps.db.withTenant(owner.tenant.id, (tx) =>
      tx`select action, actor_type, actor_id, actor_label from audit_log where tenant_id = ${owner.tenant.id} and action like 'api_keys.%' order by created_at`);
    expect([...rows]).toEqual([
      { action: "api_keys.create", actor_type: "user", actor_id: owner.user.id, actor_label: owner.email },
      { action: "api_keys.create", actor_type: "user", actor_id: owner.user.id, actor_label: owner.email },
      { action: "api_keys.revoke", actor_type: "api_key", actor_id: key.id, actor_label: "Zapier" },
    ]);
    const [used] = await roomy.deps.db.withTenant(owner.tenant.id, (tx) => tx`select last_used_at from api_keys where id = ${key.id}`);
    expect(used!.last_used_at).toBeInstanceOf(Date);
  });

  test("a key's role caps what it may do", async () => {
    const owner = await signupTenant(roomy);
    const member = await createKey(owner, { role: "member" });
    const forbidden = await call(roomy, "GET", "/api/api-keys", { token: member.key });
    expect(forbidden.status).toBe(403);
    expectErrorShape(forbidden.json, "forbidden");
    // No key, whatever its role, mints another key: a leaked key cannot outlive its revocation.
    const admin = await createKey(owner, { role: "admin" });
    const minted = await call(roomy, "POST", "/api/api-keys", { token: admin.key, body: { name: "Sneaky" } });
    expect(minted.status).toBe(403);
    expectErrorShape(minted.json, "user_required");
    // And a key is never an owner.
    const ownerKey = await call(roomy, "POST", "/api/api-keys", { token: owner.accessToken, body: { name: "X", role: "owner" } });
    expect(ownerKey.status).toBe(422);
  });

  test("another tenant's key is refused on this tenant's host, and its ids are 404 here", async () => {
    const a = await signupTenant(roomy);
    const b = await signupTenant(roomy);
    const keyA = await createKey(a, { role: "admin" });
    const keyB = await createKey(b, { role: "admin" });
    const onB = await call(roomy, "GET", "/api/api-keys", { host: b.host, token: keyA.key });
    expect(onB.status).toBe(401);
    const onOwnHost = await call(roomy, "GET", "/api/api-keys", { host: a.host, token: keyA.key });
    expect(onOwnHost.status).toBe(200);
    const crossRevoke = await call(roomy, "DELETE", `/api/api-keys/${keyB.id}`, { token: keyA.key });
    expect(crossRevoke.status).toBe(404);
    const stillWorks = await call(roomy, "GET", "/api/api-keys", { token: keyB.key });
    expect(stillWorks.status).toBe(200);
  });

  test("revocation is honoured at once, by every replica", async () => {
    const replica = makeApp();
    const owner = await signupTenant(roomy);
    const key = await createKey(owner, { role: "admin" });
    // Both replicas have the key's state cached.
    expect((await call(roomy, "GET", "/api/api-keys", { token: key.key })).status).toBe(200);
    expect((await call(replica, "GET", "/api/api-keys", { token: key.key })).status).toBe(200);
    expect((await call(roomy, "DELETE", `/api/api-keys/${key.id}`, { token: owner.accessToken })).status).toBe(204);
    const after = await call(replica, "GET", "/api/api-keys", { token: key.key });
    expect(after.status).toBe(401);
    expectErrorShape(after.json, "unauthenticated");
    expect((await call(roomy, "DELETE", `/api/api-keys/${key.id}`, { token: owner.accessToken })).status).toBe(404);
  });

  test("expired, unknown and malformed keys are 401", async () => {
    const owner = await signupTenant(roomy);
    const key = await createKey(owner, { role: "admin", expires_at: new Date(Date.now() + 1500).toISOString() });
    expect((await call(roomy, "GET", "/api/api-keys", { token: key.key })).status).toBe(200);
    await Bun.sleep(1600);
    expect((await call(roomy, "GET", "/api/api-keys", { token: key.key })).status).toBe(401);
    expect((await call(roomy, "GET", "/api/api-keys", { token: `agk_${"A".repeat(43)}` })).status).toBe(401);
    expect((await call(roomy, "GET", "/api/api-keys", { token: "agk_short" })).status).toBe(401);
    const past = await call(roomy, "POST", "/api/api-keys", { token: owner.accessToken, body: { name: "Old", expires_at: "2001-01-01T00:00:00Z" } });
    expect(past.status).toBe(422);
  });

  test("members cannot manage keys", async () => {
    const owner = await signupTenant(roomy);
    const memberKey = await createKey(owner, { role: "member" });
    const admin = await createKey(owner, { role: "admin" });
    expect((await call(roomy, "DELETE", `/api/api-keys/${admin.id}`, { token: memberKey.key })).status).toBe(403);
  });

  test("each key is rate-limited on its own, with Retry-After", async () => {
    const owner = await signupTenant(target);
    const first = await createKey(owner, { role: "admin" }, target);
    const second = await createKey(owner, { role: "admin" }, target);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 6; index++) {
      const response = await call(target, "GET", "/api/api-keys", { token: first.key });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("retry-after");
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await call(target, "GET", "/api/api-keys", { token: second.key })).status).toBe(200);
  });
});
