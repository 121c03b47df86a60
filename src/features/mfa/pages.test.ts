// /account/two-factor: enrolment with a QR code on our page, recovery codes
// once, turning it off with password and code.
import { describe, expect, test } from "bun:test";
import { signIn, visit } from "../../../test/browser-session";
import { makeApp, PASSWORD, signupTenant } from "../../../test/helpers";
import { codeFor, enrolThroughPage, recoveryCodesIn, secretIn, signInWithCode } from "../../../test/two-factor";

const target = makeApp();

describe("two-factor on the account pages", () => {
  test("enrol: QR code and key on our page, a wrong first code keeps the same secret, recovery codes shown once", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const account = await visit(target, browser, "GET", "/account");
    expect(account.text).toContain('href="/account/two-factor"');
    const started = await visit(target, browser, "POST", "/account/two-factor/enrol", { form: { _csrf: browser.csrf! } });
    expect(started.status).toBe(200);
    expect(started.text).toMatch(/<div[^>]*data-qr[^>]*><svg/);
    const secret = secretIn(started.text)!;
    const wrong = await visit(target, browser, "POST", "/account/two-factor/confirm", { form: { _csrf: browser.csrf!, code: "000000" } });
    expect(wrong.status).toBe(422);
    expect(secretIn(wrong.text)).toBe(secret);
    const confirmed = await visit(target, browser, "POST", "/account/two-factor/confirm", { form: { _csrf: browser.csrf!, code: codeFor(secret) } });
    expect(confirmed.status).toBe(200);
    expect(recoveryCodesIn(confirmed.text)).toHaveLength(10);
    const later = await visit(target, browser, "GET", "/account/two-factor");
    expect(later.text).toContain("Turn off two-factor sign-in");
    expect(recoveryCodesIn(later.text)).toHaveLength(0);
    expect(secretIn(later.text)).toBeUndefined();
    const audit = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select 1 from audit_log where tenant_id = ${owner.tenant.id} and action = 'mfa.enable'`);
    expect(audit).toHaveLength(1);
  });

  test("every action needs the CSRF token", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    expect((await visit(target, browser, "POST", "/account/two-factor/enrol", { form: {} })).status).toBe(403);
    expect((await visit(target, browser, "POST", "/account/two-factor/disable", { form: { password: PASSWORD, code: "000000" } })).status).toBe(403);
  });

  test("turning it off needs the password and a code; then sign-in asks for the password only", async () => {
    const owner = await signupTenant(target);
    const { secret } = await enrolThroughPage(target, await signIn(target, owner));
    const browser = await signInWithCode(target, owner, codeFor(secret, 1));
    const badPassword = await visit(target, browser, "POST", "/account/two-factor/disable", { form: { _csrf: browser.csrf!, password: "not my password", code: codeFor(secret, 0) } });
    expect(badPassword.status).toBe(401);
    expect(badPassword.text).toContain("The password or code is incorrect.");
    const badCode = await visit(target, browser, "POST", "/account/two-factor/disable", { form: { _csrf: browser.csrf!, password: PASSWORD, code: "000000" } });
    expect(badCode.status).toBe(401);
    const off = await visit(target, browser, "POST", "/account/two-factor/disable", { form: { _csrf: browser.csrf!, password: PASSWORD, code: codeFor(secret, 0) } });
    expect(off.status).toBe(303);
    expect((await visit(target, browser, "GET", "/account/two-factor")).text).toContain("Set up two-factor sign-in");
    await signIn(target, owner);
  });
});
