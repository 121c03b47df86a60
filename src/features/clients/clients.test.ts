import { describe, expect, test } from "bun:test";
import { call, expectErrorShape, makeApp, signupTenant, type SignedUp } from "../../../test/helpers";

const target = makeApp();

const as = (who: SignedUp) => ({ host: who.host, token: who.accessToken });

async function createClient(who: SignedUp, body: Record<string, unknown>) {
  const response = await call(target, "POST", "/api/clients", { ...as(who), body });
  if (response.status !== 201) throw new Error(`create client: ${response.status} ${response.text}`);
  return response.json;
}

async function auditRows(who: SignedUp, action: string, targetId: string) {
  return target.deps.db.withTenant(who.tenant.id, (tx) =>
    tx`select * from audit_log where tenant_id = ${who.tenant.id} and action = ${action} and target_id = ${targetId}`,
  );
}

describe("clients API", () => {
  test("create, read, update and delete a client, each leaving one audit row", async () => {
    const owner = await signupTenant(target);
    const created = await createClient(owner, { name: "  Globex  ", email: "Hank@Globex.Example", company: "Globex", tags: ["vip", "vip", " retail "] });
    expect(created).toMatchObject({ name: "Globex", email: "hank@globex.example", company: "Globex", phone: null, status: "lead", notes: "", tags: ["vip", "retail"] });
    expect(Object.keys(created).sort()).toEqual(["company", "created_at", "email", "id", "name", "notes", "phone", "status", "tags", "updated_at"]);

    const read = await call(target, "GET", `/api/clients/${created.id}`, as(owner));
    expect(read.status).toBe(200);
    expect(read.json.id).toBe(created.id);

    const patched = await call(target, "PATCH", `/api/clients/${created.id}`, { ...as(owner), body: { status: "active", notes: "Met at the expo", phone: "" } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ status: "active", notes: "Met at the expo", phone: null, name: "Globex" });

    const removed = await call(target, "DELETE", `/api/clients/${created.id}`, as(owner));
    expect(removed.status).toBe(204);
    expect((await call(target, "GET", `/api/clients/${created.id}`, as(owner))).status).toBe(404);

    for (const action of ["clients.create", "clients.update", "clients.delete"]) {
      const rows = await auditRows(owner, action, created.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_type: "user", actor_id: owner.user.id, actor_label: owner.email, target_type: "client" });
      expect(rows[0]!.request_id).toBeString();
    }
    const updateRow = (await auditRows(owner, "clients.update", created.id))[0]!;
    expect([...updateRow.details.fields].sort()).toEqual(["notes", "phone", "status"]);
  });

  test("validation failures are 422 with field details, never 500", async () => {
    const owner = await signupTenant(target);
    const cases: [unknown, string][] = [
      [{}, "name"],
      [{ name: "" }, "name"],
      [{ name: "x".repeat(201) }, "name"],
      [{ name: "A", email: "not-an-email" }, "email"],
      [{ name: "A", status: "vip" }, "status"],
      [{ name: "A", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "tags"],
      [{ name: "A", tenant_id: owner.tenant.id }, ""],
      [{ name: "A", notes: 5 }, "notes"],
    ];
    for (const [body, field] of cases) {
      const response = await call(target, "POST", "/api/clients", { ...as(owner), body });
      expect(response.status).toBe(422);
      expectErrorShape(response.json, "validation_failed");
      if (field) expect(JSON.stringify(response.json.error.details)).toContain(field);
    }
    for (const id of ["not-a-uuid", "1", "00000000-0000-0000-0000-00000000000g"]) {
      const response = await call(target, "GET", `/api/clients/${id}`, as(owner));
      expect([404, 422]).toContain(response.status);
    }
    const missing = await call(target, "PATCH", `/api/clients/${crypto.randomUUID()}`, { ...as(owner), body: { name: "B" } });
    expect(missing.status).toBe(404);
    expect((await call(target, "GET", "/api/clients?limit=0", as(owner))).status).toBe(422);
    expect((await call(target, "GET", "/api/clients?limit=101", as(owner))).status).toBe(422);
    expect((await call(target, "GET", "/api/clients?status=vip", as(owner))).status).toBe(422);
    const badCursor = await call(target, "GET", "/api/clients?cursor=garbage", as(owner));
    expect(badCursor.status).toBe(400);
    expectErrorShape(badCursor.json, "invalid_cursor");
    expect((await call(target, "GET", "/api/clients")).status).toBe(401);
  });

  test("?q= searches name, email and company; ?status= filters; wildcards are literal", async () => {
    const owner = await signupTenant(target);
    await createClient(owner, { name: "Acme Rockets", status: "active" });
    await createClient(owner, { name: "Bob", email: "bob@initech.example", status: "lead" });
    await createClient(owner, { name: "Carol", company: "Umbrella Corp", status: "inactive" });
    await createClient(owner, { name: "Discount 50% Ltd", status: "lead" });
    const names = async (query: string) => (await call(target, "GET", `/api/clients?${query}`, as(owner))).json.data.map((c: any) => c.name).sort();
    expect(await names("q=rocket")).toEqual(["Acme Rockets"]);
    expect(await names("q=INITECH")).toEqual(["Bob"]);
    expect(await names("q=umbrella")).toEqual(["Carol"]);
    expect(await names("q=50%25")).toEqual(["Discount 50% Ltd"]);
    expect(await names("q=%25")).toEqual(["Discount 50% Ltd"]);
    expect(await names("q=_")).toEqual([]);
    expect(await names("status=lead")).toEqual(["Bob", "Discount 50% Ltd"]);
    expect(await names("status=lead&q=bob")).toEqual(["Bob"]);
  });

  test("cursor pagination has no duplicates or gaps while rows are inserted", async () => {
    const owner = await signupTenant(target);
    const original: string[] = [];
    for (let i = 0; i < 23; i++) original.push((await createClient(owner, { name: `Client ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=5&cursor=${cursor}` : "limit=5";
      const response = await call(target, "GET", `/api/clients?${query}`, as(owner));
      expect(response.status).toBe(200);
      seen.push(...response.json.data.map((c: any) => c.id));
      cursor = response.json.next_cursor;
      pages++;
      // Rows arriving mid-pagination are newer than the cursor: they must not shift later pages.
      await createClient(owner, { name: `Late ${pages}` });
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...original].reverse());
  });

  test("another tenant's ids answer 404 and its lists never show them", async () => {
    const tenantA = await signupTenant(target);
    const tenantB = await signupTenant(target);
    const client = await createClient(tenantA, { name: "Secret Co", email: "boss@secret.example" });
    for (const [method, body] of [["GET"], ["PATCH", { name: "pwned" }], ["DELETE"]] as const) {
      const response = await call(target, method, `/api/clients/${client.id}`, { ...as(tenantB), body });
      expect(response.status).toBe(404);
      expectErrorShape(response.json, "not_found");
    }
    // B's credential on A's host is refused outright.
    expect((await call(target, "GET", `/api/clients/${client.id}`, { host: tenantA.host, token: tenantB.accessToken })).status).toBe(401);
    const listB = await call(target, "GET", "/api/clients?q=secret", as(tenantB));
    expect(listB.json.data).toEqual([]);
    const still = await call(target, "GET", `/api/clients/${client.id}`, as(tenantA));
    expect(still.json.name).toBe("Secret Co");
  });
});
