// "End sessions" on /team: an admin signs a member out of everything.
import { describe, expect, test } from "bun:test";
import { addMember, signIn, visit } from "../../../test/browser-session";
import { call, makeApp, signupTenant } from "../../../test/helpers";

const target = makeApp();

describe("ending a member's sessions", () => {
  test("ends dashboard sessions, access and refresh tokens; audited as users.sessions_end", async () => {
    const owner = await signupTenant(target);
    const member = await addMember(target, owner, "member");
    const memberBrowser = await signIn(target, member);
    const login = await call(target, "POST", "/api/auth/login", { host: owner.host, body: { email: member.email, password: member.password } });
    const admin = await signIn(target, owner);
    const team = await visit(target, admin, "GET", "/team");
    expect(team.text).toContain(`action="/team/members/${member.id}/sessions/end"`);
    const ended = await visit(target, admin, "POST", `/team/members/${member.id}/sessions/end`, { form: { _csrf: admin.csrf! }, headers: { "hx-request": "true" } });
    expect(ended.status).toBe(200);
    expect(ended.text).toContain("was signed out everywhere.");
    expect((await visit(target, memberBrowser, "GET", "/")).status).toBe(303);
    expect((await call(target, "GET", "/api/users/me", { host: owner.host, token: member.accessToken })).status).toBe(401);
    expect((await call(target, "POST", "/api/auth/refresh", { host: owner.host, body: { refresh_token: login.json.refresh_token } })).status).toBe(401);
    const audit = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select actor_id from audit_log where tenant_id = ${owner.tenant.id} and action = 'users.sessions_end' and target_id = ${member.id}`);
    expect(audit).toHaveLength(1);
    // The member can sign in again.
    await signIn(target, member);
  });

  test("owners are protected, members cannot do it, another tenant's user is 404", async () => {
    const owner = await signupTenant(target);
    const admin = await addMember(target, owner, "admin");
    const member = await addMember(target, owner, "member");
    const adminBrowser = await signIn(target, admin);
    const ownerBrowser = await signIn(target, owner);
    const onOwner = await visit(target, adminBrowser, "POST", `/team/members/${owner.user.id}/sessions/end`, { form: { _csrf: adminBrowser.csrf! } });
    expect(onOwner.status).toBe(403);
    expect(onOwner.text).toContain("The owner of a workspace cannot be changed by others.");
    expect((await visit(target, ownerBrowser, "GET", "/")).status).toBe(200);
    expect((await visit(target, adminBrowser, "GET", "/team")).text).not.toContain(`/team/members/${owner.user.id}/sessions/end`);
    const memberBrowser = await signIn(target, member);
    expect((await visit(target, memberBrowser, "POST", `/team/members/${admin.id}/sessions/end`, { form: { _csrf: memberBrowser.csrf! } })).status).toBe(403);
    expect((await visit(target, adminBrowser, "GET", "/")).status).toBe(200);
    const stranger = await signupTenant(target);
    expect((await visit(target, adminBrowser, "POST", `/team/members/${stranger.user.id}/sessions/end`, { form: { _csrf: adminBrowser.csrf! } })).status).toBe(404);
  });
});
