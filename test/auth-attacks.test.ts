// Attacks on sign-in and sessions that the feature tests do not already cover:
// CSRF from a sibling tenant subdomain with a live victim session, cookie
// flags over HTTPS, open redirects through `next=`, session fixation across
// tenants, and account enumeration by timing. (Token tampering lives in
// src/identity/tokens.test.ts, refresh reuse in src/features/auth/.)
import { describe, expect, test } from "bun:test";
import { signIn, visit, type Browser } from "./browser-session";
import { call, makeApp, PASSWORD, randomIp, signupTenant, unique } from "./helpers";

// Generous limits: the timing test makes many failed logins on purpose.
const target = makeApp({}, { rateLimits: { loginFailuresPerEmail: { points: 10_000, duration: 60 }, loginPerIp: { points: 10_000, duration: 60 } } });

describe("CSRF from a sibling tenant subdomain", () => {
  test("a victim's cookie riding a cross-subdomain form post changes nothing", async () => {
    const victim = await signupTenant(target);
    const attacker = await signupTenant(target);
    const browser = await signIn(target, victim);
    const attackerBrowser = await signIn(target, attacker);
    const forged = { host: victim.host, ip: browser.ip, cookie: browser.cookie };
    const origin = { origin: `http://${attacker.host}`, referer: `http://${attacker.host}/`, "sec-fetch-site": "same-site" };
    for (const token of [undefined, "", attackerBrowser.csrf!, `${browser.csrf!}x`]) {
      const form: Record<string, string> = { name: "Pwned agency" };
      if (token !== undefined) form._csrf = token;
      const response = await visit(target, forged, "POST", "/settings/general", { form, headers: origin });
      expect(response.status).toBe(403);
    }
    const api = await target.app.handle(
      new Request(`http://${victim.host}/api/tenant`, {
        method: "PATCH",
        headers: { host: victim.host, cookie: browser.cookie!, "content-type": "application/json", "x-csrf-token": attackerBrowser.csrf!, ...origin },
        body: JSON.stringify({ name: "Pwned agency" }),
      }),
    );
    expect(api.status).toBe(403);
    const tenant = await call(target, "GET", "/api/tenant", { host: victim.host, token: victim.accessToken });
    expect(tenant.json.name).toBe(victim.tenant.name);
  });
});

describe("session cookie over HTTPS", () => {
  const secure = makeApp({ PUBLIC_SCHEME: "https" });

  test("is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/ and has no Domain", async () => {
    const owner = await signupTenant(secure);
    const browser: Browser = { host: owner.host, ip: randomIp() };
    const response = await visit(secure, browser, "POST", "/login", { form: { email: owner.email, password: PASSWORD } });
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toStartWith("__Host-aggios_session=");
    for (const flag of ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"]) expect(cookie).toContain(flag);
    expect(cookie.toLowerCase()).not.toContain("domain=");
    const page = await visit(secure, browser, "GET", "/");
    expect(page.headers.get("strict-transport-security")).toContain("max-age=");
  });

  test("the plain cookie name is not accepted over HTTPS (no downgrade through a planted cookie)", async () => {
    const owner = await signupTenant(secure);
    const browser = await signIn(secure, owner);
    const value = browser.cookie!.split("=").slice(1).join("=");
    const planted = await visit(secure, { host: owner.host, ip: randomIp(), cookie: `aggios_session=${value}` }, "GET", "/team");
    expect(planted.status).toBe(303);
  });
});

describe("open redirects", () => {
  test("login's next= only ever leads to a path on the same host", async () => {
    const owner = await signupTenant(target);
    const hostile = [
      "https://evil.example/",
      "//evil.example/",
      "/\\evil.example",
      "\\\\evil.example",
      "/%09/evil.example",
      "javascript:alert(1)",
      "http:evil.example",
      "/\t/evil.example",
      " //evil.example",
      "%2F%2Fevil.example",
    ];
    for (const next of hostile) {
      const browser: Browser = { host: owner.host, ip: randomIp() };
      const response = await visit(target, browser, "POST", `/login?next=${encodeURIComponent(next)}`, { form: { email: owner.email, password: PASSWORD, next } });
      expect(response.status).toBe(303);
      const location = response.location ?? "";
      const resolved = new URL(location, `http://${owner.host}/`);
      expect({ next, host: resolved.host }).toEqual({ next, host: owner.host });
    }
    const ok = await visit(target, { host: owner.host, ip: randomIp() }, "POST", "/login", { form: { email: owner.email, password: PASSWORD, next: "/clients?status=active" } });
    expect(ok.location).toBe("/clients?status=active");
  });
});

describe("session fixation", () => {
  test("a session minted on the attacker's tenant cannot be planted on the victim's host, and login always issues a new id", async () => {
    const victim = await signupTenant(target);
    const attacker = await signupTenant(target);
    const attackerBrowser = await signIn(target, attacker);
    const victimBrowser: Browser = { host: victim.host, ip: randomIp(), cookie: attackerBrowser.cookie };
    expect((await visit(target, victimBrowser, "GET", "/")).status).toBe(303);
    await visit(target, victimBrowser, "POST", "/login", { form: { email: victim.email, password: PASSWORD } });
    expect(victimBrowser.cookie).toBeDefined();
    expect(victimBrowser.cookie).not.toBe(attackerBrowser.cookie);
    expect((await visit(target, attackerBrowser, "GET", "/")).status).toBe(200);
  });
});

describe("enumeration by timing", () => {
  test("login for an unknown email costs about as much as a wrong password for a known one", async () => {
    const known = await signupTenant(target);
    const sample = async (email: string) => {
      const started = performance.now();
      const response = await call(target, "POST", "/api/auth/login", { body: { email, password: "definitely wrong password" } });
      expect(response.status).toBe(401);
      return performance.now() - started;
    };
    await sample(known.email); // warm both paths (the decoy hash is made on first use)
    await sample(`${unique()}@example.test`);
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let round = 0; round < 12; round++) {
      knownTimes.push(await sample(known.email));
      unknownTimes.push(await sample(`${unique()}@example.test`));
    }
    const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const ratio = median(knownTimes) / median(unknownTimes);
    expect(ratio).toBeGreaterThan(0.67);
    expect(ratio).toBeLessThan(1.5);
  });
});
