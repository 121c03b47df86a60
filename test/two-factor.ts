// Helpers for dashboard two-factor tests: TOTP codes from a secret, enrolment
// through /account/two-factor, and the two-step sign-in.
import * as OTPAuth from "otpauth";
import { type Browser, visit } from "./browser-session";
import { PASSWORD, randomIp, type makeApp } from "./helpers";

type TestApp = ReturnType<typeof makeApp>;

/** The code an authenticator shows `offsetSteps` × 30 s from now (each step is accepted once per user). */
export const codeFor = (secret: string, offsetSteps = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

export const secretIn = (html: string) => /data-secret[^>]*>\s*([A-Z2-7]+)\s*</.exec(html)?.[1];
export const hiddenField = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
export const recoveryCodesIn = (html: string) => [...html.matchAll(/<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/li>/g)].map((match) => match[1]!);

/** Turns 2FA on for the signed-in browser through the pages; returns the secret and recovery codes. */
export async function enrolThroughPage(target: TestApp, browser: Browser) {
  const started = await visit(target, browser, "POST", "/account/two-factor/enrol", { form: { _csrf: browser.csrf! } });
  const secret = secretIn(started.text);
  if (started.status !== 200 || !secret) throw new Error(`enrolment did not start: ${started.status}`);
  const confirmed = await visit(target, browser, "POST", "/account/two-factor/confirm", { form: { _csrf: browser.csrf!, code: codeFor(secret, -1) } });
  const recoveryCodes = recoveryCodesIn(confirmed.text);
  if (recoveryCodes.length !== 10) throw new Error(`enrolment did not finish: ${confirmed.status}`);
  return { secret, recoveryCodes };
}

/** Password, then code: a browser signed in on a 2FA account. */
export async function signInWithCode(target: TestApp, user: { host: string; email: string; password?: string }, code: string): Promise<Browser> {
  const browser: Browser = { host: user.host, ip: randomIp() };
  const step = await visit(target, browser, "POST", "/login", { form: { email: user.email, password: user.password ?? PASSWORD } });
  const challenge = hiddenField(step.text, "challenge");
  if (!challenge) throw new Error(`no challenge: ${step.status}`);
  const done = await visit(target, browser, "POST", "/login/two-factor", { form: { challenge, code, next: "/" } });
  if (done.status !== 303 || !browser.cookie) throw new Error(`code refused: ${done.status}`);
  await visit(target, browser, "GET", "/");
  return browser;
}
