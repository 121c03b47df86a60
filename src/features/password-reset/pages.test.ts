// Password reset and email change through the tenant host's pages, with the
// emailed link captured from the mailer.
import { describe, expect, test } from "bun:test";
import { signIn, visit, type Browser } from "../../../test/browser-session";
import { makeApp, PASSWORD, randomIp, signupTenant } from "../../../test/helpers";

const target = makeApp();
const outbox: { to: string; subject: string; text: string }[] = [];
target.deps.mailer = { send: async (mail) => void outbox.push(mail) };

async function linkSentTo(to: string, path: string) {
  for (let wait = 0; wait < 50 && !outbox.some((mail) => mail.to === to); wait++) await Bun.sleep(10);
  const mail = outbox.findLast((sent) => sent.to === to);
  const match = mail && new RegExp(`https?://[^\\s]+(${path}\\?token=[^\\s]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link sent to ${to}`);
  return match[1]!;
}

const guest = (host: string): Browser => ({ host, ip: randomIp() });

describe("password reset pages", () => {
  test("the login page links to /forgot-password, which answers the same for known and unknown emails", async () => {
    const owner = await signupTenant(target);
    expect((await visit(target, guest(owner.host), "GET", "/login")).text).toContain('href="/forgot-password"');
    const known = await visit(target, guest(owner.host), "POST", "/forgot-password", { form: { email: owner.email } });
    const unknown = await visit(target, guest(owner.host), "POST", "/forgot-password", { form: { email: `nobody-${crypto.randomUUID()}@example.test` } });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const message = "If an account exists for that email, a reset link is on its way.";
    expect(known.text).toContain(message);
    expect(unknown.text.replace(/<[^>]+>/g, "")).toBe(known.text.replace(/<[^>]+>/g, ""));
  });

  test("the emailed link sets a new password once, signs out everywhere and lands on /login with a message", async () => {
    const owner = await signupTenant(target);
    const before = await signIn(target, owner);
    await visit(target, guest(owner.host), "POST", "/forgot-password", { form: { email: owner.email } });
    const link = await linkSentTo(owner.email, "/reset-password");
    const token = decodeURIComponent(link.split("token=")[1]!);
    const browser = guest(owner.host);
    const form = await visit(target, browser, "GET", link);
    expect(form.status).toBe(200);
    expect(form.headers.get("cache-control")).toBe("no-store");
    expect(form.text).toContain(`name="token" value="${token}"`);
    const mismatch = await visit(target, browser, "POST", "/reset-password", { form: { token, password: "a brand new password", confirm_password: "something else" } });
    expect(mismatch.status).toBe(422);
    const crossOrigin = await visit(target, browser, "POST", "/reset-password", { form: { token, password: "a brand new password", confirm_password: "a brand new password" }, headers: { origin: "http://evil.example" } });
    expect(crossOrigin.status).toBe(403);
    const done = await visit(target, browser, "POST", "/reset-password", { form: { token, password: "a brand new password", confirm_password: "a brand new password" } });
    expect(done.status).toBe(303);
    expect(done.location).toBe("/login?notice=password_reset");
    expect((await visit(target, browser, "GET", done.location!)).text).toContain("Your password was changed.");
    expect((await visit(target, before, "GET", "/")).status).toBe(303);
    const again = await visit(target, browser, "POST", "/reset-password", { form: { token, password: "another new password", confirm_password: "another new password" } });
    expect(again.status).toBe(400);
    expect(again.text).toContain("invalid, expired or already used");
    await signIn(target, { ...owner, password: "a brand new password" });
  });
});

describe("email change pages", () => {
  test("current password + new address on /account, then the link's page confirms with a button", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const newEmail = `new-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const wrong = await visit(target, browser, "POST", "/account/email", { form: { _csrf: browser.csrf!, new_email: newEmail, password: "not my password" } });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain("is not your current password");
    const asked = await visit(target, browser, "POST", "/account/email", { form: { _csrf: browser.csrf!, new_email: newEmail, password: PASSWORD } });
    expect(asked.status).toBe(303);
    expect((await visit(target, browser, "GET", "/account")).text).toContain(`We sent a confirmation link to ${newEmail}`);
    const link = await linkSentTo(newEmail, "/confirm-email");
    const page = await visit(target, guest(owner.host), "GET", link);
    expect(page.text).toContain("Confirm email change");
    // Opening the link changes nothing: a mail scanner may open it.
    const [still] = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select email from users where tenant_id = ${owner.tenant.id} and id = ${owner.user.id}`);
    expect(still!.email).toBe(owner.email);
    const token = decodeURIComponent(link.split("token=")[1]!);
    const confirmed = await visit(target, guest(owner.host), "POST", "/confirm-email", { form: { token } });
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe("/login?notice=email_changed");
    expect((await visit(target, browser, "GET", "/")).status).toBe(303);
    await signIn(target, { host: owner.host, email: newEmail });
    expect((await visit(target, guest(owner.host), "POST", "/confirm-email", { form: { token } })).status).toBe(400);
  });
});
