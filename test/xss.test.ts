// A script stored in any user-controlled field comes back escaped on every
// page that shows it (agency name, people's names, invitation emails).
import { expect, test } from "bun:test";
import { addMember, signIn, visit } from "./browser-session";
import { call, makeApp, randomIp, signupTenant } from "./helpers";

const target = makeApp();
// The leading quote tries to break out of an attribute as well as into markup.
const PAYLOAD = `"><script>alert("x")</script><img src=x onerror=alert(1)>`;
const ESCAPED = "&lt;script&gt;alert(";

function expectEscaped(text: string, where: string) {
  // Inside a quoted attribute `<` is inert; what matters is that no quote ends
  // the attribute early, so drop well-formed attribute values and look again.
  const markup = text.replace(/="[^"]*"/g, '=""');
  if (markup.includes("<script>alert") || markup.includes("<img src=x")) throw new Error(`unescaped payload on ${where}`);
  expect(text).toContain(ESCAPED);
}

test("stored XSS payloads are escaped on every dashboard page", async () => {
  const owner = await signupTenant(target, { agency_name: `Evil ${PAYLOAD}` });
  // People's names through the API, an invitation email with a payload-ish local part.
  const member = await addMember(target, owner, "member", { first_name: PAYLOAD, last_name: PAYLOAD });
  const invited = await call(target, "POST", "/api/invitations", { host: owner.host, token: owner.accessToken, body: { email: `"<script>alert(1)</script>"@example.test`, role: "member" } });
  const browser = await signIn(target, owner);
  await visit(target, browser, "POST", "/account/profile", { form: { _csrf: browser.csrf!, first_name: PAYLOAD, last_name: "Owner" } });

  for (const path of ["/", "/team", "/settings", "/account"]) {
    const page = await visit(target, browser, "GET", path);
    expect(page.status).toBe(200);
    expectEscaped(page.text, path);
  }
  if (invited.status === 201) {
    const team = await visit(target, browser, "GET", "/team");
    expect(team.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  }
  const memberBrowser = await signIn(target, member);
  expectEscaped((await visit(target, memberBrowser, "GET", "/account")).text, "member /account");
  expectEscaped((await visit(target, { host: owner.host, ip: randomIp() }, "GET", "/login")).text, "/login");
  const invitation = await call(target, "POST", "/api/invitations", { host: owner.host, token: owner.accessToken, body: { email: `${crypto.randomUUID()}@example.test` } });
  expectEscaped((await visit(target, { host: owner.host, ip: randomIp() }, "GET", `/invite/${invitation.json.link.split("/invite/")[1]}`)).text, "/invite");
});

test("payloads are escaped on the security, API key, webhook and password pages", async () => {
  const loopback = makeApp({ WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" });
  const owner = await signupTenant(loopback, { agency_name: `Evil ${PAYLOAD}` });
  await call(loopback, "POST", "/api/api-keys", { host: owner.host, token: owner.accessToken, body: { name: PAYLOAD } });
  const hook = await call(loopback, "POST", "/api/webhooks", { host: owner.host, token: owner.accessToken, body: { url: "http://127.0.0.1:9/hook", events: ["client.created"], description: PAYLOAD } });
  expect(hook.status).toBe(201);
  const browser = await signIn(loopback, owner);
  const created = await visit(loopback, browser, "POST", "/settings/api-keys", { form: { _csrf: browser.csrf!, name: PAYLOAD, role: "member", expires_in: "never" } });
  expectEscaped(created.text, "new API key");
  const settings = await visit(loopback, browser, "GET", "/settings");
  expectEscaped(settings.text, "/settings sections");
  expect(settings.text.match(/&lt;script&gt;alert\(/g)!.length).toBeGreaterThanOrEqual(3);
  for (const path of ["/account/two-factor", `/settings/webhooks/${hook.json.id}`]) expectEscaped((await visit(loopback, browser, "GET", path)).text, path);
  const enrol = await visit(loopback, browser, "POST", "/account/two-factor/enrol", { form: { _csrf: browser.csrf! } });
  expectEscaped(enrol.text, "enrolment");
  const guest = () => ({ host: owner.host, ip: randomIp() });
  const token = encodeURIComponent(PAYLOAD);
  for (const path of ["/forgot-password", `/reset-password?token=${token}`, `/confirm-email?token=${token}`, `/login?notice=${token}&next=${token}`]) {
    const page = await visit(loopback, guest(), "GET", path);
    expect(page.status).toBe(200);
    expectEscaped(page.text, path);
  }
  const forgot = await visit(loopback, guest(), "POST", "/forgot-password", { form: { email: PAYLOAD } });
  expectEscaped(forgot.text, "POST /forgot-password");
});
