// Role rules on the server, for every team action (STYLE 14): guest, member,
// admin, owner and another tenant's user; through the pages and the JSON API.
import { describe, expect, test } from "bun:test";
import { addMember, signIn, visit, type Browser } from "../../../test/browser-session";
import { call, makeApp, PASSWORD, randomIp, signupTenant } from "../../../test/helpers";

const target = makeApp();

async function workspace() {
  const owner = await signupTenant(target);
  const admin = await addMember(target, owner, "admin", { first_name: "Ada", last_name: "Admin" });
  const member = await addMember(target, owner, "member", { first_name: "Mel", last_name: "Member" });
  return { owner, admin, member };
}

describe("team pages: who may do what", () => {
  test("members read the team but cannot invite, change roles or deactivate", async () => {
    const { owner, member, admin } = await workspace();
    const browser = await signIn(target, member);
    const team = await visit(target, browser, "GET", "/team");
    expect(team.status).toBe(200);
    expect(team.text).toContain("Ada Admin");
    expect(team.text).not.toContain("Send invitation");
    const csrf = browser.csrf!;
    expect((await visit(target, browser, "POST", "/team/invitations", { form: { _csrf: csrf, email: "x@example.test", role: "member" } })).status).toBe(403);
    expect((await visit(target, browser, "POST", `/team/members/${admin.id}/role`, { form: { _csrf: csrf, role: "member" } })).status).toBe(403);
    expect((await visit(target, browser, "POST", `/team/members/${admin.id}/deactivate`, { form: { _csrf: csrf } })).status).toBe(403);
    expect((await visit(target, browser, "GET", "/settings")).status).toBe(403);
    expect((await call(target, "GET", "/api/invitations", { host: owner.host, token: member.accessToken })).status).toBe(403);
    expect((await call(target, "PATCH", `/api/users/${admin.id}`, { host: owner.host, token: member.accessToken, body: { role: "member" } })).status).toBe(403);
    expect((await call(target, "GET", "/api/users", { host: owner.host, token: member.accessToken })).status).toBe(200);
  });

  test("admins manage members but the owner is protected, and nobody changes themselves", async () => {
    const { owner, admin, member } = await workspace();
    const browser = await signIn(target, admin);
    const csrf = browser.csrf!;
    const ownerRole = await visit(target, browser, "POST", `/team/members/${owner.user.id}/role`, { form: { _csrf: csrf, role: "member" } });
    expect(ownerRole.status).toBe(403);
    expect(ownerRole.text).toContain("The owner of a workspace cannot be changed by others.");
    expect((await visit(target, browser, "POST", `/team/members/${owner.user.id}/deactivate`, { form: { _csrf: csrf } })).status).toBe(403);
    expect((await visit(target, browser, "POST", `/team/members/${admin.id}/role`, { form: { _csrf: csrf, role: "member" } })).status).toBe(403);
    expect((await call(target, "DELETE", `/api/users/${owner.user.id}`, { host: owner.host, token: admin.accessToken })).status).toBe(403);
    // Ownership is not handed out through role changes.
    expect((await call(target, "PATCH", `/api/users/${member.id}`, { host: owner.host, token: admin.accessToken, body: { role: "owner" } })).status).toBe(422);

    const promoted = await visit(target, browser, "POST", `/team/members/${member.id}/role`, { form: { _csrf: csrf, role: "admin" }, headers: { "hx-request": "true" } });
    expect(promoted.status).toBe(200);
    expect(promoted.text).toContain("Mel Member is now an admin.");
    expect(promoted.text).not.toContain("<html"); // the fragment only
    const deactivated = await visit(target, browser, "POST", `/team/members/${member.id}/deactivate`, { form: { _csrf: csrf } });
    expect(deactivated.status).toBe(303);
    const activated = await call(target, "PATCH", `/api/users/${member.id}`, { host: owner.host, token: owner.accessToken, body: { is_active: true } });
    expect(activated.status).toBe(200);
    expect(activated.json.is_active).toBe(true);
    const actions = await target.deps.db.withTenant(owner.tenant.id, (tx) =>
      tx`select action from audit_log where tenant_id = ${owner.tenant.id} and action like 'users.%' order by created_at`);
    expect(actions.map((row) => row.action)).toEqual(["users.role_change", "users.deactivate", "users.activate"]);
  });

  test("another tenant's user and guests get nothing", async () => {
    const { owner, member } = await workspace();
    const stranger = await signupTenant(target);
    // Another tenant's id is a 404 for the caller's own tenant; their token on this host a 401.
    expect((await call(target, "PATCH", `/api/users/${member.id}`, { host: stranger.host, token: stranger.accessToken, body: { role: "admin" } })).status).toBe(404);
    expect((await call(target, "PATCH", `/api/users/${member.id}`, { host: owner.host, token: stranger.accessToken, body: { role: "admin" } })).status).toBe(401);
    const strangerBrowser = await signIn(target, stranger);
    expect((await visit(target, strangerBrowser, "POST", `/team/members/${member.id}/role`, { form: { _csrf: strangerBrowser.csrf!, role: "admin" } })).status).toBe(404);
    const guest: Browser = { host: owner.host, ip: randomIp() };
    expect((await visit(target, guest, "POST", `/team/members/${member.id}/role`, { form: { role: "admin" } })).status).toBe(303);
    expect((await call(target, "GET", "/api/users", { host: owner.host })).status).toBe(401);
  });
});

describe("invitations", () => {
  test("create, list, revoke; a revoked or used link is dead", async () => {
    const owner = await signupTenant(target);
    const created = await call(target, "POST", "/api/invitations", { host: owner.host, token: owner.accessToken, body: { email: `New.${owner.tenant.subdomain}@Example.test`, role: "member" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ email: `new.${owner.tenant.subdomain}@example.test`, role: "member" });
    const listed = await call(target, "GET", "/api/invitations", { host: owner.host, token: owner.accessToken });
    expect(listed.json.data.map((row: { id: string }) => row.id)).toEqual([created.json.id]);
    expect(JSON.stringify(listed.json)).not.toContain("token");
    const stored = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select token_hash from invitations where id = ${created.json.id}`);
    expect(stored[0]!.token_hash.length).toBe(32);

    const token = created.json.link.split("/invite/")[1];
    expect((await call(target, "DELETE", `/api/invitations/${created.json.id}`, { host: owner.host, token: owner.accessToken })).status).toBe(204);
    const revoked = await call(target, "POST", "/api/auth/accept-invitation", { body: { token, password: PASSWORD, first_name: "N", last_name: "P" } });
    expect(revoked.status).toBe(404);
    const page = await visit(target, { host: owner.host, ip: randomIp() }, "GET", `/invite/${token}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain("This invitation can&#x27;t be used");

    const again = await call(target, "POST", "/api/invitations", { host: owner.host, token: owner.accessToken, body: { email: `new.${owner.tenant.subdomain}@example.test`, role: "admin" } });
    const fresh = again.json.link.split("/invite/")[1];
    const accepted = await call(target, "POST", "/api/auth/accept-invitation", { body: { token: fresh, password: PASSWORD, first_name: "New", last_name: "Person" } });
    expect(accepted.status).toBe(201);
    expect(accepted.json.user).toMatchObject({ role: "admin", tenant_id: owner.tenant.id });
    expect((await call(target, "POST", "/api/auth/accept-invitation", { body: { token: fresh, password: PASSWORD, first_name: "X", last_name: "Y" } })).status).toBe(404);
    // The address now has an account: inviting it again is a conflict.
    expect((await call(target, "POST", "/api/invitations", { host: owner.host, token: owner.accessToken, body: { email: `new.${owner.tenant.subdomain}@example.test` } })).status).toBe(409);
  });

  test("an invitation of tenant A cannot be accepted on tenant B's host; expired links are dead", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    const created = await call(target, "POST", "/api/invitations", { host: a.host, token: a.accessToken, body: { email: `${crypto.randomUUID()}@example.test` } });
    const token = created.json.link.split("/invite/")[1];
    expect((await call(target, "POST", "/api/auth/accept-invitation", { host: b.host, body: { token, password: PASSWORD, first_name: "X", last_name: "Y" } })).status).toBe(404);
    expect((await visit(target, { host: b.host, ip: randomIp() }, "GET", `/invite/${token}`)).status).toBe(404);
    await target.deps.db.withTenant(a.tenant.id, (tx) => tx`update invitations set expires_at = now() - interval '1 minute' where id = ${created.json.id}`);
    expect((await call(target, "POST", "/api/auth/accept-invitation", { host: a.host, body: { token, password: PASSWORD, first_name: "X", last_name: "Y" } })).status).toBe(404);
  });

  test("the acceptance page creates the account and signs the new member in", async () => {
    const owner = await signupTenant(target);
    const created = await call(target, "POST", "/api/invitations", { host: owner.host, token: owner.accessToken, body: { email: `${crypto.randomUUID()}@example.test` } });
    const token = created.json.link.split("/invite/")[1];
    const browser: Browser = { host: owner.host, ip: randomIp() };
    const accepted = await visit(target, browser, "POST", `/invite/${token}`, { form: { first_name: "Pat", last_name: "Page", password: PASSWORD } });
    expect(accepted.status).toBe(303);
    const home = await visit(target, browser, "GET", "/");
    expect(home.text).toContain("Welcome back, Pat");
    const audit = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select action from audit_log where tenant_id = ${owner.tenant.id} and action like 'invitations.%' order by created_at`);
    expect(audit.map((row) => row.action)).toEqual(["invitations.create", "invitations.accept"]);
  });
});
