import { describe, expect, test } from "bun:test";
import { hashPassword } from "../../identity/passwords";
import { insertUser } from "../auth/queries";
import { call, expectErrorShape, makeApp, PASSWORD, signupTenant, unique, type SignedUp } from "../../../test/helpers";

const target = makeApp();
const as = (who: SignedUp) => ({ host: who.host, token: who.accessToken });

/** A plain member of the tenant, logged in (invitations are another feature's concern). */
async function addMember(owner: SignedUp) {
  const email = `${unique("member")}@example.test`;
  const passwordHash = await hashPassword(PASSWORD);
  await target.deps.db.withTenant(owner.tenant.id, (tx) =>
    insertUser(tx, owner.tenant.id, { email, passwordHash, firstName: "Mia", lastName: "Member", role: "member" }),
  );
  const login = await call(target, "POST", "/api/auth/login", { host: owner.host, body: { email, password: PASSWORD } });
  return { token: login.json.access_token as string, userId: login.json.user.id as string, email };
}

async function events(owner: SignedUp, query = "") {
  const response = await call(target, "GET", `/api/audit-log${query ? `?${query}` : ""}`, as(owner));
  expect(response.status).toBe(200);
  return response.json as { data: any[]; next_cursor: string | null };
}

describe("GET /api/audit-log", () => {
  test("every sign-in, failure, sign-out and client change is one row with actor, target, IP, agent and request id", async () => {
    const owner = await signupTenant(target);
    const ip = "10.20.30.40";
    const headers = { "user-agent": "AuditTest/1.0", "x-request-id": `req-${unique()}` };
    await call(target, "POST", "/api/auth/login", { host: owner.host, ip, headers, body: { email: owner.email, password: "wrong password!!" } });
    const login = await call(target, "POST", "/api/auth/login", { host: owner.host, ip, headers, body: { email: owner.email, password: PASSWORD } });
    const token = login.json.access_token;
    const client = await call(target, "POST", "/api/clients", { host: owner.host, token, ip, headers, body: { name: "Wayne Enterprises" } });
    await call(target, "PATCH", `/api/clients/${client.json.id}`, { host: owner.host, token, ip, headers, body: { status: "active" } });
    await call(target, "DELETE", `/api/clients/${client.json.id}`, { host: owner.host, token, ip, headers });
    await call(target, "POST", "/api/auth/logout", { host: owner.host, token, ip, headers, body: { refresh_token: login.json.refresh_token } });

    const { data } = await events(owner, "limit=100");
    const count = (action: string) => data.filter((event) => event.action === action).length;
    expect(data.map((event) => event.action)).toEqual(["auth.logout", "clients.delete", "clients.update", "clients.create", "auth.login", "auth.login_failed", "tenants.create"]);
    for (const action of ["auth.login", "auth.login_failed", "auth.logout", "clients.create", "clients.update", "clients.delete"]) expect(count(action)).toBe(1);
    const byAction = Object.fromEntries(data.map((event) => [event.action, event]));
    expect(byAction["clients.update"]).toMatchObject({
      actor: { type: "user", id: owner.user.id, label: owner.email },
      target: { type: "client", id: client.json.id },
      ip,
      user_agent: "AuditTest/1.0",
      request_id: headers["x-request-id"],
      details: { fields: ["status"] },
    });
    expect(byAction["auth.login_failed"]).toMatchObject({ actor: { type: "anonymous", id: owner.user.id }, target: { type: "user", id: owner.user.id }, ip });
    expect(byAction["auth.logout"].actor.id).toBe(owner.user.id);
    expect(Date.parse(byAction["auth.login"].created_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  test("filters by action, noun, actor and date; pages with a cursor", async () => {
    const owner = await signupTenant(target);
    for (let index = 0; index < 5; index++) await call(target, "POST", "/api/clients", { ...as(owner), body: { name: `Client ${index}` } });
    expect((await events(owner, "action=clients.create")).data).toHaveLength(5);
    expect((await events(owner, "action=clients")).data).toHaveLength(5);
    expect((await events(owner, "action=clients.delete")).data).toHaveLength(0);
    expect((await events(owner, `actor_id=${owner.user.id}`)).data).toHaveLength(6);
    expect((await events(owner, `actor_id=${crypto.randomUUID()}`)).data).toHaveLength(0);
    const today = new Date().toISOString().slice(0, 10);
    expect((await events(owner, `from=${today}&to=${today}`)).data).toHaveLength(6);
    expect((await events(owner, "to=2000-01-01")).data).toHaveLength(0);
    expect((await events(owner, `from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).data).toHaveLength(0);

    const first = await events(owner, "limit=4");
    const second = await events(owner, `limit=4&cursor=${first.next_cursor}`);
    expect(first.data).toHaveLength(4);
    expect(second.data).toHaveLength(2);
    expect(second.next_cursor).toBeNull();
    expect(new Set([...first.data, ...second.data].map((event) => event.id)).size).toBe(6);

    for (const query of ["action=DROP%20TABLE", "action=a%25", "actor_id=me", "from=yesterday", "limit=1000"]) {
      const response = await call(target, "GET", `/api/audit-log?${query}`, as(owner));
      expect(response.status).toBe(422);
      expectErrorShape(response.json, "validation_failed");
    }
  });

  test("members may not read it; other tenants never see it", async () => {
    const owner = await signupTenant(target);
    const other = await signupTenant(target);
    const member = await addMember(owner);
    const refused = await call(target, "GET", "/api/audit-log", { host: owner.host, token: member.token });
    expect(refused.status).toBe(403);
    expectErrorShape(refused.json, "forbidden");
    await call(target, "POST", "/api/clients", { host: owner.host, token: member.token, body: { name: "By a member" } });
    const ownerView = await events(owner, "action=clients.create");
    expect(ownerView.data[0].actor).toMatchObject({ id: member.userId, label: member.email });
    const otherView = await events(other, "limit=100");
    expect(otherView.data.map((event) => event.action)).toEqual(["tenants.create"]);
    expect((await events(other, `actor_id=${member.userId}`)).data).toEqual([]);
  });
});
