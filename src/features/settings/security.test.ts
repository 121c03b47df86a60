// The owner's "require two-factor sign-in" setting on /settings.
import { describe, expect, test } from "bun:test";
import { addMember, signIn, visit } from "../../../test/browser-session";
import { call, makeApp, PASSWORD, randomIp, signupTenant } from "../../../test/helpers";
import { codeFor, enrolThroughPage, hiddenField, signInWithCode } from "../../../test/two-factor";

const target = makeApp();
const requireMfa = async (tenantId: string) =>
  (await target.deps.db.withTenant(tenantId, (tx) => tx<{ require_mfa: boolean }[]>`select require_mfa from tenants where id = ${tenantId}`))[0]!.require_mfa;

describe("require two-factor sign-in", () => {
  test("only the owner may change it; admins see it read-only", async () => {
    const owner = await signupTenant(target);
    const admin = await addMember(target, owner, "admin");
    const adminBrowser = await signIn(target, admin);
    const page = await visit(target, adminBrowser, "GET", "/settings");
    expect(page.text).toContain("Only the owner of the workspace changes this.");
    expect(page.text).not.toContain('action="/settings/two-factor"');
    const refused = await visit(target, adminBrowser, "POST", "/settings/two-factor", { form: { _csrf: adminBrowser.csrf!, require_mfa: "on" } });
    expect(refused.status).toBe(403);
    const member = await signIn(target, await addMember(target, owner, "member"));
    expect((await visit(target, member, "POST", "/settings/two-factor", { form: { _csrf: member.csrf!, require_mfa: "on" } })).status).toBe(403);
    expect(await requireMfa(owner.tenant.id)).toBe(false);
  });

  test("the owner must use 2FA first; turning it on signs out members without it, who must enrol at sign-in", async () => {
    const owner = await signupTenant(target);
    const member = await addMember(target, owner, "member");
    const memberBrowser = await signIn(target, member);
    let ownerBrowser = await signIn(target, owner);
    const tooSoon = await visit(target, ownerBrowser, "POST", "/settings/two-factor", { form: { _csrf: ownerBrowser.csrf!, require_mfa: "on" } });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.text).toContain("Turn on two-factor sign-in for your own account first.");
    const { secret } = await enrolThroughPage(target, ownerBrowser);
    ownerBrowser = await signInWithCode(target, owner, codeFor(secret, 1));
    const on = await visit(target, ownerBrowser, "POST", "/settings/two-factor", { form: { _csrf: ownerBrowser.csrf!, require_mfa: "on" }, headers: { "hx-request": "true" } });
    expect(on.status).toBe(200);
    expect(on.text).toContain("Two-factor sign-in is now required. 1 member(s) without it were signed out.");
    expect(await requireMfa(owner.tenant.id)).toBe(true);
    const [audit] = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select details from audit_log where tenant_id = ${owner.tenant.id} and action = 'tenants.update' order by created_at desc limit 1`);
    expect(audit!.details).toEqual({ require_mfa: { from: false, to: true } });
    // The owner (enrolled) keeps working; the member's session and API tokens are dead.
    expect((await visit(target, ownerBrowser, "GET", "/settings")).status).toBe(200);
    expect((await visit(target, memberBrowser, "GET", "/")).status).toBe(303);
    expect((await call(target, "GET", "/api/users/me", { host: owner.host, token: member.accessToken })).status).toBe(401);
    const again = await visit(target, { host: owner.host, ip: randomIp() }, "POST", "/login", { form: { email: member.email, password: PASSWORD } });
    expect(again.text).toContain("Set up two-factor sign-in");
    expect(hiddenField(again.text, "ticket")).toBeString();
    expect(again.headers.get("set-cookie")).toBeNull();
    const off = await visit(target, ownerBrowser, "POST", "/settings/two-factor", { form: { _csrf: ownerBrowser.csrf!, require_mfa: "off" } });
    expect(off.status).toBe(303);
    expect(await requireMfa(owner.tenant.id)).toBe(false);
  });
});
