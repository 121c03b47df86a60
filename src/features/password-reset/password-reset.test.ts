// Password reset and email change by emailed link.
import { describe, expect, test } from "bun:test";
import { call, makeApp, PASSWORD, signupTenant, unique } from "../../../test/helpers";
import type { Mail } from "../../platform/mail";

const target = makeApp();
const outbox: Mail[] = [];
// Captures what would go to the SMTP server; the link inside is the secret under test.
target.deps.mailer = { send: async (mail) => void outbox.push(mail) };

function linkTokenFor(to: string, path: string) {
  const mail = outbox.findLast((sent) => sent.to === to);
  const match = mail && new RegExp(`${path}\\?token=([A-Za-z0-9_%-]+)`).exec(mail.text);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

async function waitForMail(to: string) {
  for (let attempt = 0; attempt < 50 && !outbox.some((mail) => mail.to === to); attempt++) await Bun.sleep(20);
}

describe("password reset", () => {
  test("answers 202 the same way for known and unknown emails; only a known one gets mail", async () => {
    const owner = await signupTenant(target);
    const known = await call(target, "POST", "/api/auth/password/forgot", { body: { email: owner.email } });
    const stranger = `${unique()}@example.test`;
    const unknown = await call(target, "POST", "/api/auth/password/forgot", { body: { email: stranger } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.json).toEqual(unknown.json);
    await waitForMail(owner.email);
    expect(linkTokenFor(owner.email, "/reset-password")).toBeString();
    expect(outbox.some((mail) => mail.to === stranger)).toBe(false);
  });

  test("the link sets a new password once, and ends every session and refresh family", async () => {
    const owner = await signupTenant(target);
    await call(target, "POST", "/api/auth/password/forgot", { body: { email: owner.email } });
    await waitForMail(owner.email);
    const token = linkTokenFor(owner.email, "/reset-password")!;
    const rows = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select token_hash from password_resets where tenant_id = ${owner.tenant.id}`);
    expect(Buffer.from(rows[0]!.token_hash).toString()).not.toContain(token);

    const newPassword = "a brand new passphrase";
    expect((await call(target, "POST", "/api/auth/password/reset", { body: { token, password: newPassword } })).status).toBe(204);
    expect((await call(target, "POST", "/api/auth/password/reset", { body: { token, password: "yet another passphrase" } })).status).toBe(401);
    expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(401);
    expect((await call(target, "POST", "/api/auth/refresh", { body: { refresh_token: owner.refreshToken } })).status).toBe(401);
    expect((await call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: PASSWORD } })).status).toBe(401);
    expect((await call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: newPassword } })).status).toBe(200);
  });

  test("an expired link and a short password are refused", async () => {
    const owner = await signupTenant(target);
    await call(target, "POST", "/api/auth/password/forgot", { body: { email: owner.email } });
    await waitForMail(owner.email);
    const token = linkTokenFor(owner.email, "/reset-password")!;
    expect((await call(target, "POST", "/api/auth/password/reset", { body: { token, password: "short" } })).status).toBe(422);
    await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`update password_resets set expires_at = now() - interval '1 second' where tenant_id = ${owner.tenant.id}`);
    expect((await call(target, "POST", "/api/auth/password/reset", { body: { token, password: "long enough password" } })).status).toBe(401);
  });

  test("requests are rate-limited per email", async () => {
    const owner = await signupTenant(target);
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await call(target, "POST", "/api/auth/password/forgot", { body: { email: owner.email } })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});

describe("email change", () => {
  test("needs the current password and a confirmation from the new address", async () => {
    const owner = await signupTenant(target);
    const newEmail = `${unique("new")}@example.test`;
    const wrong = await call(target, "POST", "/api/users/me/email", { token: owner.accessToken, body: { password: "not my password", new_email: newEmail } });
    expect(wrong.status).toBe(401);
    const asked = await call(target, "POST", "/api/users/me/email", { token: owner.accessToken, body: { password: owner.password, new_email: newEmail } });
    expect(asked.status).toBe(202);
    expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).json.email).toBe(owner.email);
    const token = linkTokenFor(newEmail, "/confirm-email")!;
    expect((await call(target, "POST", "/api/users/me/email/confirm", { body: { token } })).status).toBe(204);
    expect((await call(target, "POST", "/api/users/me/email/confirm", { body: { token } })).status).toBe(401);
    expect((await call(target, "POST", "/api/auth/login", { body: { email: newEmail, password: owner.password } })).status).toBe(200);
  });
});
