// Dashboard sessions over HTTP: login, logout, the tenant boundary, CSRF, the
// hand-off from the apex, and what password changes and deactivation end.
import { describe, expect, test } from "bun:test";
import { addMember, signIn, visit, type Browser } from "../../../test/browser-session";
import { BASE, call, makeApp, PASSWORD, randomIp, signupTenant } from "../../../test/helpers";

const target = makeApp();

describe("dashboard login and logout", () => {
  test("login sets a host-only HttpOnly SameSite=Lax cookie with a fresh id, and lands on /", async () => {
    const owner = await signupTenant(target);
    const browser: Browser = { host: owner.host, ip: randomIp(), cookie: "aggios_session=planted.byattacker" };
    const response = await visit(target, browser, "POST", "/login", { form: { email: owner.email, password: PASSWORD } });
    expect(response.status).toBe(303);
    expect(response.location).toBe("/");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^aggios_session=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    expect(cookie).not.toContain("Domain=");
    expect(browser.cookie).not.toContain("planted");
    const home = await visit(target, browser, "GET", "/");
    expect(home.status).toBe(200);
    expect(home.headers.get("cache-control")).toBe("no-store");
    expect(home.headers.get("vary")).toContain("HX-Request");
    expect(home.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(home.headers.get("content-security-policy")).not.toContain("unsafe-eval");
    expect(home.headers.get("x-content-type-options")).toBe("nosniff");
  });

  test("a wrong password gets the same generic answer as an unknown email", async () => {
    const owner = await signupTenant(target);
    const browser: Browser = { host: owner.host, ip: randomIp() };
    const wrong = await visit(target, browser, "POST", "/login", { form: { email: owner.email, password: "not the password" } });
    const unknown = await visit(target, browser, "POST", "/login", { form: { email: "nobody@example.test", password: "not the password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain("The email or password is incorrect.");
    expect(unknown.text).toContain("The email or password is incorrect.");
    expect(browser.cookie).toBeUndefined();
  });

  test("login is rate-limited per email", async () => {
    const owner = await signupTenant(target);
    let last;
    for (let attempt = 0; attempt < 11; attempt++) {
      last = await visit(target, { host: owner.host, ip: randomIp() }, "POST", "/login", { form: { email: owner.email, password: `wrong-${attempt}-password` } });
    }
    expect(last!.status).toBe(429);
    expect(last!.text).toContain("Too many attempts");
  });

  test("without a session, pages redirect to /login (HX-Redirect for htmx)", async () => {
    const owner = await signupTenant(target);
    const guest: Browser = { host: owner.host, ip: randomIp() };
    const plain = await visit(target, guest, "GET", "/team");
    expect(plain.status).toBe(303);
    expect(plain.location).toBe("/login?next=%2Fteam");
    const htmx = await visit(target, guest, "GET", "/team", { headers: { "hx-request": "true" } });
    expect(htmx.headers.get("hx-redirect")).toBe("/login?next=%2Fteam");
  });

  test("a session cookie from tenant A is worthless on tenant B's host", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    const browser = await signIn(target, a);
    const onB = await visit(target, browser, "GET", "/", { host: b.host });
    expect(onB.status).toBe(303);
    expect(onB.location).toStartWith("/login");
    const api = await visit(target, browser, "GET", "/api/users", { host: b.host, headers: { accept: "application/json" } });
    expect(api.status).toBe(401);
  });

  test("logout deletes the session; the old cookie opens nothing", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const cookie = browser.cookie!;
    const out = await visit(target, browser, "POST", "/logout", { form: { _csrf: browser.csrf! } });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    const replay = await visit(target, { host: owner.host, ip: randomIp(), cookie }, "GET", "/");
    expect(replay.status).toBe(303);
    const rows = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select action from audit_log where tenant_id = ${owner.tenant.id} and action = 'auth.logout'`);
    expect(rows.length).toBe(1);
  });

  test("a user lists their sessions and ends another one", async () => {
    const owner = await signupTenant(target);
    const laptop = await signIn(target, owner);
    const phone = await signIn(target, owner);
    const account = await visit(target, laptop, "GET", "/account");
    const ids = [...new Set([...account.text.matchAll(/\/account\/sessions\/([A-Za-z0-9_-]{22})\/end/g)].map((match) => match[1]!))];
    expect(ids.length).toBe(1); // the other session; the current one has no button
    expect(phone.cookie).toStartWith(`aggios_session=${ids[0]}.`);
    const ended = await visit(target, laptop, "POST", `/account/sessions/${ids[0]}/end`, { form: { _csrf: laptop.csrf! } });
    expect(ended.status).toBe(303);
    expect((await visit(target, phone, "GET", "/")).status).toBe(303);
    expect((await visit(target, laptop, "GET", "/")).status).toBe(200);
  });

  test("a password change ends the user's other sessions and their tokens", async () => {
    const owner = await signupTenant(target);
    const here = await signIn(target, owner);
    const elsewhere = await signIn(target, owner);
    const changed = await visit(target, here, "POST", "/account/password", {
      form: { _csrf: here.csrf!, current_password: PASSWORD, new_password: "a brand new password", confirm_password: "a brand new password" },
    });
    expect(changed.status).toBe(303);
    expect((await visit(target, elsewhere, "GET", "/")).status).toBe(303);
    expect((await visit(target, here, "GET", "/")).status).toBe(200);
    expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(401);
    expect((await call(target, "POST", "/api/auth/refresh", { body: { refresh_token: owner.refreshToken } })).status).toBe(401);
  });

  test("deactivation ends the member's sessions; a role change applies to the live session", async () => {
    const owner = await signupTenant(target);
    const member = await addMember(target, owner, "member");
    const memberBrowser = await signIn(target, member);
    expect((await visit(target, memberBrowser, "GET", "/settings")).status).toBe(403);
    const admin = await call(target, "PATCH", `/api/users/${member.id}`, { host: owner.host, token: owner.accessToken, body: { role: "admin" } });
    expect(admin.status).toBe(200);
    expect((await visit(target, memberBrowser, "GET", "/settings")).status).toBe(200);
    const gone = await call(target, "DELETE", `/api/users/${member.id}`, { host: owner.host, token: owner.accessToken });
    expect(gone.status).toBe(204);
    expect((await visit(target, memberBrowser, "GET", "/")).status).toBe(303);
    expect((await call(target, "GET", "/api/users/me", { token: member.accessToken })).status).toBe(401);
  });
});

describe("CSRF", () => {
  test("every cookie-authenticated unsafe request needs the session's token", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const other = await signIn(target, owner);
    const form = { name: "Renamed agency" };
    expect((await visit(target, browser, "POST", "/settings/general", { form })).status).toBe(403);
    expect((await visit(target, browser, "POST", "/settings/general", { form: { ...form, _csrf: "x".repeat(43) } })).status).toBe(403);
    // Another session's token (same user, even) is no good either.
    expect((await visit(target, browser, "POST", "/settings/general", { form: { ...form, _csrf: other.csrf! } })).status).toBe(403);
    expect((await visit(target, browser, "POST", "/logout", { form: {} })).status).toBe(403);
    expect((await visit(target, browser, "POST", "/settings/general", { form, headers: { "x-csrf-token": browser.csrf! } })).status).toBe(303);
    expect((await visit(target, browser, "POST", "/settings/general", { form: { ...form, _csrf: browser.csrf! } })).status).toBe(303);
  });

  test("the JSON API with a session cookie needs X-CSRF-Token; bearer calls do not", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const patch = (headers: Record<string, string>) =>
      target.app.handle(new Request(`http://${owner.host}/api/tenant`, { method: "PATCH", headers: { host: owner.host, cookie: browser.cookie!, "content-type": "application/json", ...headers }, body: JSON.stringify({ name: "Via cookie" }) }));
    expect((await patch({})).status).toBe(403);
    expect((await patch({ "x-csrf-token": browser.csrf! })).status).toBe(200);
    const bearer = await call(target, "PATCH", "/api/tenant", { host: owner.host, token: owner.accessToken, body: { name: "Via bearer" } });
    expect(bearer.status).toBe(200);
  });

  test("a pre-session form from another origin (a sibling subdomain) is refused", async () => {
    const owner = await signupTenant(target);
    const response = await visit(target, { host: owner.host, ip: randomIp() }, "POST", "/login", {
      form: { email: owner.email, password: PASSWORD },
      headers: { origin: `http://evil.${BASE}` },
    });
    expect(response.status).toBe(403);
  });
});

describe("sign-up hand-off", () => {
  const APEX_ORIGIN = `http://${BASE}`;

  /** Signs up on the apex; the answer is a page whose form posts the one-time token to the new host. */
  async function signUpThroughForm() {
    const subdomain = `ho${crypto.randomUUID().slice(0, 10).replace("-", "")}`;
    const apex: Browser = { host: BASE, ip: randomIp() };
    const response = await visit(target, apex, "POST", "/signup", {
      form: { agency_name: "Hand Off", subdomain, first_name: "Hana", last_name: "Off", email: `${subdomain}@example.test`, password: PASSWORD },
    });
    expect(response.status).toBe(200);
    expect(response.location).toBeNull();
    expect(response.headers.get("cache-control")).toBe("no-store");
    const action = /<form method="post" action="([^"]+)" data-auto-submit>/.exec(response.text)?.[1];
    expect(action).toBe(`http://${subdomain}.${BASE}/auth/handoff`);
    const token = /name="token" value="([A-Za-z0-9_-]{43})"/.exec(response.text)![1]!;
    return { host: `${subdomain}.${BASE}`, token };
  }

  /** The hand-off post as a browser sends it: `origin` is the page the form was on. */
  const handOff = (browser: Browser, token: string, origin: string | null = APEX_ORIGIN) =>
    visit(target, browser, "POST", "/auth/handoff", { form: { token }, headers: origin ? { origin } : {} });

  test("the signing-up browser lands on its new workspace signed in, once", async () => {
    const handoff = await signUpThroughForm();
    const browser: Browser = { host: handoff.host, ip: randomIp() };
    const landed = await handOff(browser, handoff.token);
    expect(landed.status).toBe(303);
    expect(landed.location).toBe("/");
    const home = await visit(target, browser, "GET", "/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Welcome back, Hana");
    // Single use: the same token, even from the apex, opens nothing again.
    const replay: Browser = { host: handoff.host, ip: randomIp() };
    const again = await handOff(replay, handoff.token);
    expect(again.status).toBe(400);
    expect(replay.cookie).toBeUndefined();
  });

  test("login CSRF: the token sent to a victim signs nobody in (a link, another site's form, a sibling host's form)", async () => {
    const attackers = await signUpThroughForm();
    const victim: Browser = { host: attackers.host, ip: randomIp() };
    const link = await visit(target, victim, "GET", `/auth/handoff?token=${attackers.token}`);
    expect(link.status).toBe(404);
    for (const origin of ["https://evil.example", `http://evil.${BASE}`, `http://${attackers.host}`, "null", null]) {
      const posted = await handOff(victim, attackers.token, origin);
      expect(posted.status).toBe(403);
      expect(victim.cookie).toBeUndefined();
    }
    expect((await visit(target, victim, "GET", "/")).location).toStartWith("/login");
    // Refused before the token was looked at: the browser it was handed to can still use it.
    const genuine: Browser = { host: attackers.host, ip: randomIp() };
    expect((await handOff(genuine, attackers.token)).status).toBe(303);
    expect(genuine.cookie).toBeDefined();
  });

  test("a token presented on another tenant's host is refused (and spent)", async () => {
    const handoff = await signUpThroughForm();
    const other = await signupTenant(target);
    const wrong: Browser = { host: other.host, ip: randomIp() };
    expect((await handOff(wrong, handoff.token)).status).toBe(400);
    expect(wrong.cookie).toBeUndefined();
    expect((await handOff({ host: handoff.host, ip: randomIp() }, handoff.token)).status).toBe(400);
  });

  test("an expired token is refused", async () => {
    const handoff = await signUpThroughForm();
    const keys = await target.deps.redis.keys("handoff:*");
    await Promise.all(keys.map((key) => target.deps.redis.pexpire(key, 1)));
    await Bun.sleep(10);
    const browser: Browser = { host: handoff.host, ip: randomIp() };
    expect((await handOff(browser, handoff.token)).status).toBe(400);
    expect(browser.cookie).toBeUndefined();
  });

  test("a taken subdomain re-renders the form with the message beside the field", async () => {
    const owner = await signupTenant(target);
    const response = await visit(target, { host: BASE, ip: randomIp() }, "POST", "/signup", {
      form: { agency_name: "Dup", subdomain: owner.tenant.subdomain, first_name: "A", last_name: "B", email: `${crypto.randomUUID()}@example.test`, password: PASSWORD },
    });
    expect(response.status).toBe(409);
    expect(response.text).toContain("That subdomain is already taken.");
    const check = await visit(target, { host: BASE, ip: randomIp() }, "GET", `/signup/check?subdomain=${owner.tenant.subdomain}`, { headers: { "hx-request": "true" } });
    expect(check.text).toContain("is already taken");
  });
});

test("POST /api/auth/logout with a session cookie is refused cleanly (it logs out bearer tokens)", async () => {
  const owner = await signupTenant(target);
  const browser = await signIn(target, owner);
  const response = await target.app.handle(
    new Request(`http://${owner.host}/api/auth/logout`, {
      method: "POST",
      headers: { host: owner.host, cookie: browser.cookie!, "x-csrf-token": browser.csrf!, "content-type": "application/json" },
      body: JSON.stringify({ refresh_token: owner.refreshToken }),
    }),
  );
  expect(response.status).toBe(403);
});
