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
