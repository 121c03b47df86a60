// Dashboard sign-in with two-factor: the code step after a correct password,
// and enrolment inside sign-in when the agency requires it.
import { describe, expect, test } from "bun:test";
import { addMember, signIn, visit, type Browser } from "../../../test/browser-session";
import { makeApp, PASSWORD, randomIp, signupTenant } from "../../../test/helpers";
import { codeFor, enrolThroughPage, hiddenField, recoveryCodesIn, secretIn } from "../../../test/two-factor";

const target = makeApp();

async function enrolledOwner() {
  const owner = await signupTenant(target);
  const { secret, recoveryCodes } = await enrolThroughPage(target, await signIn(target, owner));
  return { owner, secret, recoveryCodes };
}

async function passwordStep(user: { host: string; email: string }, cookie?: string) {
  const browser: Browser = { host: user.host, ip: randomIp(), cookie };
  const response = await visit(target, browser, "POST", "/login", { form: { email: user.email, password: PASSWORD, next: "/clients" } });
  return { browser, response, challenge: hiddenField(response.text, "challenge") };
}

describe("dashboard sign-in with two-factor", () => {
  test("a correct password opens no session: it asks for the code", async () => {
    const { owner } = await enrolledOwner();
    const { browser, response, challenge } = await passwordStep(owner);
    expect(response.status).toBe(200);
    expect(response.text).toContain("Two-factor sign-in");
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookie).toBeUndefined();
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  test("a wrong code is refused with the form again; the right code opens a new session and goes to next", async () => {
    const { owner, secret } = await enrolledOwner();
    const { browser, challenge } = await passwordStep(owner, "aggios_session=planted.byattacker");
    const wrong = await visit(target, browser, "POST", "/login/two-factor", { form: { challenge: challenge!, code: "000000", next: "/clients" } });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("The code is not valid.");
    expect(hiddenField(wrong.text, "challenge")).toBe(challenge!);
    expect(browser.cookie).toContain("planted");
    const right = await visit(target, browser, "POST", "/login/two-factor", { form: { challenge: challenge!, code: codeFor(secret, 1), next: "/clients" } });
    expect(right.status).toBe(303);
    expect(right.location).toBe("/clients");
    expect(browser.cookie).toMatch(/^aggios_session=[A-Za-z0-9_-]{22}\./);
    expect(browser.cookie).not.toContain("planted");
    expect((await visit(target, browser, "GET", "/clients")).status).toBe(200);
    const audit = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select count(*)::int as n from audit_log where tenant_id = ${owner.tenant.id} and action = 'auth.login'`);
    expect(audit[0]!.n).toBeGreaterThanOrEqual(1);
  });

  test("a challenge is single use, and each sign-in gets its own session id", async () => {
    const { owner, secret } = await enrolledOwner();
    const first = await passwordStep(owner);
    await visit(target, first.browser, "POST", "/login/two-factor", { form: { challenge: first.challenge!, code: codeFor(secret, 1) } });
    const replay: Browser = { host: owner.host, ip: randomIp() };
    const again = await visit(target, replay, "POST", "/login/two-factor", { form: { challenge: first.challenge!, code: codeFor(secret, 0) } });
    expect(again.status).toBe(303);
    expect(again.location).toStartWith("/login?notice=expired");
    expect(replay.cookie).toBeUndefined();
    const second = await passwordStep(owner);
    await visit(target, second.browser, "POST", "/login/two-factor", { form: { challenge: second.challenge!, code: codeFor(secret, 0) } });
    expect(second.browser.cookie).toBeString();
    expect(second.browser.cookie!.split(".")[0]).not.toBe(first.browser.cookie!.split(".")[0]);
  });

  test("a recovery code works once; five wrong codes kill the challenge", async () => {
    const { owner, recoveryCodes, secret } = await enrolledOwner();
    const one = await passwordStep(owner);
    expect((await visit(target, one.browser, "POST", "/login/two-factor", { form: { challenge: one.challenge!, code: recoveryCodes[0]! } })).status).toBe(303);
    const two = await passwordStep(owner);
    expect((await visit(target, two.browser, "POST", "/login/two-factor", { form: { challenge: two.challenge!, code: recoveryCodes[0]! } })).status).toBe(401);
    for (let attempt = 0; attempt < 4; attempt++) await visit(target, two.browser, "POST", "/login/two-factor", { form: { challenge: two.challenge!, code: "123456" } });
    const dead = await visit(target, two.browser, "POST", "/login/two-factor", { form: { challenge: two.challenge!, code: codeFor(secret, 1) } });
    expect(dead.status).toBe(303);
    expect(two.browser.cookie).toBeUndefined();
  });

  test("a challenge from tenant A is refused on tenant B's host, and the form refuses other origins", async () => {
    const { owner, secret } = await enrolledOwner();
    const other = await signupTenant(target);
    const { challenge } = await passwordStep(owner);
    const elsewhere: Browser = { host: other.host, ip: randomIp() };
    const onB = await visit(target, elsewhere, "POST", "/login/two-factor", { form: { challenge: challenge!, code: codeFor(secret, 1) } });
    expect(onB.status).toBe(303);
    expect(elsewhere.cookie).toBeUndefined();
    const fresh = await passwordStep(owner);
    const forged = await visit(target, fresh.browser, "POST", "/login/two-factor", { form: { challenge: fresh.challenge!, code: codeFor(secret, 0) }, headers: { origin: `http://evil.${owner.host.split(".").slice(1).join(".")}` } });
    expect(forged.status).toBe(403);
    expect(fresh.browser.cookie).toBeUndefined();
  });
});

describe("sign-in when the agency requires two-factor", () => {
  test("a member without it enrols inside sign-in: no session until the first code, recovery codes shown once", async () => {
    const owner = await signupTenant(target);
    const member = await addMember(target, owner, "member");
    await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`update tenants set require_mfa = true where id = ${owner.tenant.id}`);
    const { browser, response } = await passwordStep(member);
    expect(response.status).toBe(200);
    expect(response.text).toContain("Set up two-factor sign-in");
    expect(response.text).toContain("<svg");
    expect(browser.cookie).toBeUndefined();
    const ticket = hiddenField(response.text, "ticket")!;
    const secret = secretIn(response.text)!;
    // The enrolment ticket is not a login challenge.
    expect((await visit(target, browser, "POST", "/login/two-factor", { form: { challenge: ticket, code: codeFor(secret) } })).status).toBe(303);
    expect(browser.cookie).toBeUndefined();
    const wrong = await visit(target, browser, "POST", "/login/enrol", { form: { ticket, code: "000000", next: "/clients" } });
    expect(wrong.status).toBe(401);
    expect(secretIn(wrong.text)).toBe(secret);
    const done = await visit(target, browser, "POST", "/login/enrol", { form: { ticket, code: codeFor(secret), next: "/clients" } });
    expect(done.status).toBe(200);
    expect(recoveryCodesIn(done.text)).toHaveLength(10);
    expect(done.text).toContain('href="/clients"');
    expect(browser.cookie).toMatch(/^aggios_session=/);
    expect((await visit(target, browser, "GET", "/clients")).status).toBe(200);
    // Spent: the ticket cannot enrol (or sign in) again.
    const replay: Browser = { host: owner.host, ip: randomIp() };
    expect((await visit(target, replay, "POST", "/login/enrol", { form: { ticket, code: codeFor(secret, 1) } })).location).toStartWith("/login?notice=expired");
    expect(replay.cookie).toBeUndefined();
    // From now on the member signs in with a code.
    expect((await passwordStep(member)).challenge).toBeString();
  });
});
