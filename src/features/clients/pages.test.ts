// The workspace pages over HTTP with a session cookie: forms, fragments,
// escaping, CSRF on the cookie upload, and the tenant boundary on every page
// route that takes an id.
import { describe, expect, test } from "bun:test";
import { addMember, signIn, visit } from "../../../test/browser-session";
import { call, makeApp, signupTenant } from "../../../test/helpers";

const target = makeApp();

describe("workspace pages", () => {
  test("a client made through the form is escaped everywhere and found by live search", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const created = await visit(target, browser, "POST", "/clients", { form: { _csrf: browser.csrf!, name: "<img src=x onerror=alert(1)>", company: "Evil & Sons", status: "active" } });
    expect(created.status).toBe(303);
    expect(created.location).toMatch(/^\/clients\/[0-9a-f-]{36}$/);
    const detail = await visit(target, browser, "GET", created.location!);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // Inside a quoted attribute `<` is inert (quotes are escaped); outside one it must never appear raw.
    expect(detail.text.replace(/"[^"]*"/g, '""')).not.toContain("<img");
    const results = await visit(target, browser, "GET", "/clients/results?q=sons", { headers: { "hx-request": "true" } });
    expect(results.text).toContain("Evil &amp; Sons");
    const none = await visit(target, browser, "GET", "/clients/results?q=nobody", { headers: { "hx-request": "true" } });
    expect(none.text).toContain("No clients match.");
    const invalid = await visit(target, browser, "POST", "/clients", { form: { _csrf: browser.csrf!, name: "", email: "nope" } });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain("must be an email address");
    const forged = await visit(target, browser, "POST", "/clients", { form: { name: "No token" } });
    expect(forged.status).toBe(403);
  });

  test("the dashboard upload needs the session's CSRF token", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const upload = (headers: Record<string, string>) => {
      const form = new FormData();
      form.append("file", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
      return target.app.handle(new Request(`http://${owner.host}/documents`, { method: "POST", headers: { host: owner.host, cookie: browser.cookie!, "x-forwarded-for": browser.ip, ...headers }, body: form }));
    };
    expect((await upload({})).status).toBe(403);
    const accepted = await upload({ "x-csrf-token": browser.csrf! });
    expect(accepted.status).toBe(201);
    expect((await accepted.json()).filename).toBe("hello.txt");
  });

  test("another tenant's ids answer 404 on every page route", async () => {
    const tenantA = await signupTenant(target);
    const tenantB = await signupTenant(target);
    const client = await call(target, "POST", "/api/clients", { host: tenantA.host, token: tenantA.accessToken, body: { name: "Secret client" } });
    const form = new FormData();
    form.append("file", new Blob(["secret bytes"], { type: "text/plain" }), "secret.txt");
    const document = await call(target, "POST", "/api/documents", { host: tenantA.host, token: tenantA.accessToken, rawBody: form });
    expect(document.status).toBe(201);
    const browserB = await signIn(target, tenantB);
    const clientId = client.json.id;
    const documentId = document.json.id;
    const attempts: [string, string, Record<string, string>?][] = [
      ["GET", `/clients/${clientId}`],
      ["GET", `/clients/${clientId}/edit`],
      ["GET", `/clients/${clientId}/row`],
      ["POST", `/clients/${clientId}`, { name: "pwned" }],
      ["POST", `/clients/${clientId}/row`, { name: "pwned" }],
      ["POST", `/clients/${clientId}/delete`, {}],
      ["GET", `/documents/${documentId}/download`],
      ["POST", `/documents/${documentId}/delete`, {}],
      ["GET", "/clients/not-a-uuid"],
    ];
    for (const [method, path, fields] of attempts) {
      const response = await visit(target, browserB, method, path, fields ? { form: { _csrf: browserB.csrf!, ...fields } } : {});
      expect(`${method} ${path} → ${response.status}`).toBe(`${method} ${path} → 404`);
      expect(response.text).not.toContain("secret bytes");
      expect(response.text).not.toContain("Secret client");
    }
    const listB = await visit(target, browserB, "GET", `/documents/list?client_id=${clientId}`, { headers: { "hx-request": "true" } });
    expect(listB.text).toContain("No documents yet.");
    const stillThere = await call(target, "GET", `/api/clients/${clientId}`, { host: tenantA.host, token: tenantA.accessToken });
    expect(stillThere.json.name).toBe("Secret client");
  });

  test("the audit page is for admins: a member gets 403", async () => {
    const owner = await signupTenant(target);
    const member = await addMember(target, owner, "member");
    const memberBrowser = await signIn(target, { host: owner.host, email: member.email, password: member.password });
    expect((await visit(target, memberBrowser, "GET", "/audit")).status).toBe(403);
    const ownerBrowser = await signIn(target, owner);
    const audit = await visit(target, ownerBrowser, "GET", "/audit?action=auth&from=2000-01-01");
    expect(audit.status).toBe(200);
    expect(audit.text).toContain("auth.login");
  });
});
