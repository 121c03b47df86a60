// Idempotency-Key, exercised through a real create (POST /api/api-keys).
import { describe, expect, test } from "bun:test";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { call, expectErrorShape, makeApp, signupTenant, unique } from "../../test/helpers";

const target = makeApp();

async function keyCount(tenantId: string) {
  const [row] = await target.deps.db.withTenant(tenantId, (tx) => tx`select count(*)::int as count from api_keys where tenant_id = ${tenantId}`);
  return row!.count as number;
}

describe("Idempotency-Key", () => {
  test("a replay returns the first response and creates nothing new", async () => {
    const owner = await signupTenant(target);
    const headers = { "idempotency-key": unique("idem") };
    const first = await call(target, "POST", "/api/api-keys", { token: owner.accessToken, headers, body: { name: "Sync" } });
    const again = await call(target, "POST", "/api/api-keys", { token: owner.accessToken, headers, body: { name: "Sync" } });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    expect(await keyCount(owner.tenant.id)).toBe(1);
    // Without the header, or with a new key, it is a new request.
    await call(target, "POST", "/api/api-keys", { token: owner.accessToken, body: { name: "Sync" } });
    await call(target, "POST", "/api/api-keys", { token: owner.accessToken, headers: { "idempotency-key": unique("idem") }, body: { name: "Sync" } });
    expect(await keyCount(owner.tenant.id)).toBe(3);
  });

  test("the same key with a different body is a 409", async () => {
    const owner = await signupTenant(target);
    const headers = { "idempotency-key": unique("idem") };
    expect((await call(target, "POST", "/api/api-keys", { token: owner.accessToken, headers, body: { name: "One" } })).status).toBe(201);
    const conflict = await call(target, "POST", "/api/api-keys", { token: owner.accessToken, headers, body: { name: "Two" } });
    expect(conflict.status).toBe(409);
    expectErrorShape(conflict.json, "idempotency_key_reused");
    expect(await keyCount(owner.tenant.id)).toBe(1);
  });

  test("concurrent duplicates run once", async () => {
    const owner = await signupTenant(target);
    const headers = { "idempotency-key": unique("idem") };
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => call(target, "POST", "/api/api-keys", { token: owner.accessToken, headers, body: { name: "Race" } })),
    );
    const created = responses.filter((response) => response.status === 201 && response.headers.get("idempotent-replayed") === null);
    expect(created).toHaveLength(1);
    for (const response of responses) {
      if (response.status === 201) expect(response.json.id).toBe(created[0]!.json.id);
      else expectErrorShape(response.json, "idempotency_in_progress");
    }
    expect(await keyCount(owner.tenant.id)).toBe(1);
  });

  test("keys are scoped to the credential, and a failed request is not remembered", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    const headers = { "idempotency-key": "shared-key-123" };
    const fromA = await call(target, "POST", "/api/api-keys", { token: a.accessToken, headers, body: { name: "A" } });
    const fromB = await call(target, "POST", "/api/api-keys", { token: b.accessToken, headers, body: { name: "B" } });
    expect(fromA.status).toBe(201);
    expect(fromB.status).toBe(201);
    expect(fromB.json.id).not.toBe(fromA.json.id);
    const retryHeaders = { "idempotency-key": unique("idem") };
    const invalid = await call(target, "POST", "/api/api-keys", { token: a.accessToken, headers: retryHeaders, body: { name: "X", expires_at: "2001-01-01T00:00:00Z" } });
    expect(invalid.status).toBe(422);
    const later = await call(target, "POST", "/api/api-keys", { token: a.accessToken, headers: retryHeaders, body: { name: "X", expires_at: "2001-01-01T00:00:00Z" } });
    expect(later.status).toBe(422);
    const bad = await call(target, "POST", "/api/api-keys", { token: a.accessToken, headers: { "idempotency-key": "x".repeat(300) }, body: { name: "X" } });
    expect(bad.status).toBe(400);
    expectErrorShape(bad.json, "invalid_idempotency_key");
  });
});

describe("Idempotency-Key on a streamed upload", () => {
  async function upload(owner: Awaited<ReturnType<typeof signupTenant>>, key: string, contents: string) {
    const form = new FormData();
    form.append("file", new Blob([contents], { type: "text/plain" }), "notes.txt");
    const response = await target.app.handle(
      new Request(`http://${owner.host}/api/documents`, {
        method: "POST",
        headers: { host: owner.host, authorization: `Bearer ${owner.accessToken}`, "idempotency-key": key, "x-forwarded-for": "203.0.113.9" },
        body: form,
      }),
    );
    return { status: response.status, replayed: response.headers.get("idempotent-replayed"), json: (await response.json()) as { id?: string; error?: { code: string } } };
  }

  // The test app stores on disk: the tenant's objects are files under STORAGE_DIR.
  const storedObjects = (tenantId: string) =>
    readdir(join(target.deps.config.STORAGE_DIR, tenantId, "documents")).then((names) => names.filter((name) => !name.includes(".tmp")), () => []);

  test("the same file replays the first document; other bytes with the same key are a 409; no extra row or object", async () => {
    const owner = await signupTenant(target);
    const key = unique("upload");
    const first = await upload(owner, key, "first version");
    const again = await upload(owner, key, "first version");
    const other = await upload(owner, key, "another file entirely");
    expect(first.status).toBe(201);
    expect(again).toEqual({ status: 201, replayed: "true", json: first.json });
    expect(other.status).toBe(409);
    expect(other.json.error?.code).toBe("idempotency_key_reused");
    const rows = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select id from documents where tenant_id = ${owner.tenant.id}`);
    expect(rows.map((row) => row.id)).toEqual([first.json.id]);
    expect(await storedObjects(owner.tenant.id)).toHaveLength(1);
  });
});

describe("Idempotency-Key on invitations", () => {
  test("a replayed invitation is the same invitation", async () => {
    const owner = await signupTenant(target);
    const headers = { "idempotency-key": unique("invite") };
    const body = { email: `${unique()}@example.test`, role: "member" };
    const first = await call(target, "POST", "/api/invitations", { host: owner.host, token: owner.accessToken, headers, body });
    const again = await call(target, "POST", "/api/invitations", { host: owner.host, token: owner.accessToken, headers, body });
    expect(first.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json.id).toBe(first.json.id);
  });
});
