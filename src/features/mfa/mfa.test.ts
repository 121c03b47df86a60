// Two-factor sign-in over the API: enrolment, the login challenge, recovery codes, disabling.
import { describe, expect, test } from "bun:test";
import * as OTPAuth from "otpauth";
import { call, makeApp, signupTenant, type SignedUp } from "../../../test/helpers";

const target = makeApp();

const codeFor = (secret: string, offsetSteps = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

async function enrol(owner: SignedUp) {
  const begun = await call(target, "POST", "/api/users/me/mfa", { token: owner.accessToken });
  expect(begun.status).toBe(200);
  expect(begun.json.otpauth_uri).toStartWith("otpauth://totp/Aggios:");
  expect(begun.json.qr_svg).toContain("<svg");
  const confirmed = await call(target, "POST", "/api/users/me/mfa/confirm", { token: owner.accessToken, body: { code: codeFor(begun.json.secret) } });
  expect(confirmed.status).toBe(200);
  return { secret: begun.json.secret as string, recoveryCodes: confirmed.json.recovery_codes as string[] };
}

const login = (owner: SignedUp) => call(target, "POST", "/api/auth/login", { body: { email: owner.email, password: owner.password } });

describe("two-factor sign-in", () => {
  test("enrolment needs a valid first code and returns ten recovery codes, stored hashed", async () => {
    const owner = await signupTenant(target);
    const begun = await call(target, "POST", "/api/users/me/mfa", { token: owner.accessToken });
    const wrong = await call(target, "POST", "/api/users/me/mfa/confirm", { token: owner.accessToken, body: { code: "000000" } });
    expect(wrong.status).toBe(400);
    const confirmed = await call(target, "POST", "/api/users/me/mfa/confirm", { token: owner.accessToken, body: { code: codeFor(begun.json.secret) } });
    expect(confirmed.json.recovery_codes).toHaveLength(10);
    const rows = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select code_hash from mfa_recovery_codes where tenant_id = ${owner.tenant.id}`);
    expect(rows).toHaveLength(10);
    const stored = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select secret_sealed from user_mfa where tenant_id = ${owner.tenant.id}`);
    expect(stored[0]!.secret_sealed).not.toContain(begun.json.secret);
    expect((await call(target, "GET", "/api/users/me/mfa", { token: owner.accessToken })).json).toEqual({ enabled: true });
  });

  test("login then answers mfa_required, and the challenge plus a code yields the token pair", async () => {
    const owner = await signupTenant(target);
    const { secret } = await enrol(owner);
    const first = await login(owner);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ mfa_required: true, challenge: expect.any(String) });
    const answered = await call(target, "POST", "/api/auth/mfa", { body: { challenge: first.json.challenge, code: codeFor(secret, 1) } });
    expect(answered.status).toBe(200);
    expect(answered.json.access_token).toBeString();
    expect((await call(target, "GET", "/api/users/me", { token: answered.json.access_token })).status).toBe(200);
    // The challenge is single use.
    const again = await call(target, "POST", "/api/auth/mfa", { body: { challenge: first.json.challenge, code: codeFor(secret, 1) } });
    expect(again.status).toBe(401);
  });

  test("a TOTP code cannot be replayed, and a challenge dies after five wrong codes", async () => {
    const owner = await signupTenant(target);
    const { secret } = await enrol(owner);
    const code = codeFor(secret, -1);
    const one = await login(owner);
    expect((await call(target, "POST", "/api/auth/mfa", { body: { challenge: one.json.challenge, code } })).status).toBe(200);
    const two = await login(owner);
    expect((await call(target, "POST", "/api/auth/mfa", { body: { challenge: two.json.challenge, code } })).status).toBe(401);
    for (let attempt = 0; attempt < 5; attempt++) {
      await call(target, "POST", "/api/auth/mfa", { body: { challenge: two.json.challenge, code: "123456" } });
    }
    expect((await call(target, "POST", "/api/auth/mfa", { body: { challenge: two.json.challenge, code: codeFor(secret) } })).status).toBe(401);
  });

  test("a recovery code works once", async () => {
    const owner = await signupTenant(target);
    const { recoveryCodes } = await enrol(owner);
    const first = await login(owner);
    const used = await call(target, "POST", "/api/auth/mfa", { body: { challenge: first.json.challenge, code: recoveryCodes[0]!.toUpperCase() } });
    expect(used.status).toBe(200);
    const second = await login(owner);
    expect((await call(target, "POST", "/api/auth/mfa", { body: { challenge: second.json.challenge, code: recoveryCodes[0] } })).status).toBe(401);
  });

  test("a challenge from tenant A's login is refused on tenant B's host", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    const { secret } = await enrol(a);
    const first = await login(a);
    expect((await call(target, "POST", "/api/auth/mfa", { host: b.host, body: { challenge: first.json.challenge, code: codeFor(secret, 1) } })).status).toBe(401);
  });

  test("disabling needs the password and a code", async () => {
    const owner = await signupTenant(target);
    const { secret } = await enrol(owner);
    const withoutCode = await call(target, "DELETE", "/api/users/me/mfa", { token: owner.accessToken, body: { password: owner.password, code: "000000" } });
    expect(withoutCode.status).toBe(401);
    const wrongPassword = await call(target, "DELETE", "/api/users/me/mfa", { token: owner.accessToken, body: { password: "not my password", code: codeFor(secret, 1) } });
    expect(wrongPassword.status).toBe(401);
    const ok = await call(target, "DELETE", "/api/users/me/mfa", { token: owner.accessToken, body: { password: owner.password, code: codeFor(secret, -1) } });
    expect(ok.status).toBe(204);
    expect((await login(owner)).json.access_token).toBeString();
  });

  test("an agency that requires 2FA refuses API login until the user enrols", async () => {
    const owner = await signupTenant(target);
    await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`update tenants set require_mfa = true where id = ${owner.tenant.id}`);
    const refused = await login(owner);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("mfa_enrolment_required");
  });
});
