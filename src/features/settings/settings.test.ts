import { describe, expect, test } from "bun:test";
import { addMember, signIn, visit } from "../../../test/browser-session";
import { call, makeApp, signupTenant } from "../../../test/helpers";

// DNS answers for the verification look-up, set per test.
const txtRecords = new Map<string, string[][]>();
const target = makeApp({}, { resolveTxt: async (name) => txtRecords.get(name) ?? [] });

describe("settings", () => {
  test("GET /api/tenant for members, PATCH for admins, audited and reflected in the host cache", async () => {
    const owner = await signupTenant(target);
    const member = await addMember(target, owner, "member");
    const read = await call(target, "GET", "/api/tenant", { host: owner.host, token: member.accessToken });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ id: owner.tenant.id, subdomain: owner.tenant.subdomain, domain: null });
    expect((await call(target, "PATCH", "/api/tenant", { host: owner.host, token: member.accessToken, body: { name: "Nope" } })).status).toBe(403);
    const renamed = await call(target, "PATCH", "/api/tenant", { host: owner.host, token: owner.accessToken, body: { name: "New Name" } });
    expect(renamed.json.name).toBe("New Name");
    const site = await target.deps.tenancy.resolve(owner.host);
    expect(site?.kind === "tenant" && site.tenant.name).toBe("New Name");
    const audit = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select details from audit_log where tenant_id = ${owner.tenant.id} and action = 'tenants.update'`);
    expect(audit[0]!.details).toEqual({ name: { from: owner.tenant.name, to: "New Name" } });
  });

  test("a custom domain shows its TXT record and is served only after verification", async () => {
    const owner = await signupTenant(target);
    const domain = `${owner.tenant.subdomain}.agency-example.com`;
    const browser = await signIn(target, owner);
    const saved = await visit(target, browser, "POST", "/settings/domain", { form: { _csrf: browser.csrf!, domain: domain.toUpperCase() } });
    expect(saved.status).toBe(303);
    const page = await visit(target, browser, "GET", "/settings");
    expect(page.text).toContain(`_aggios-verify.${domain}`);
    const token = /aggios-verify=[A-Za-z0-9_-]+/.exec(page.text)![0];
    expect(await target.deps.tenancy.resolve(domain)).toBeNull();

    const notYet = await visit(target, browser, "POST", "/settings/domain/verify", { form: { _csrf: browser.csrf! }, headers: { "hx-request": "true" } });
    expect(notYet.text).toContain("The TXT record was not found yet.");
    txtRecords.set(`_aggios-verify.${domain}`, [["v=spf1 -all"], [token.slice(0, 10), token.slice(10)]]);
    const verified = await visit(target, browser, "POST", "/settings/domain/verify", { form: { _csrf: browser.csrf! }, headers: { "hx-request": "true" } });
    expect(verified.text).toContain("Domain verified.");
    const site = await target.deps.tenancy.resolve(domain);
    expect(site?.kind === "tenant" && site.tenant.id).toBe(owner.tenant.id);
  });

  test("bad and platform domains are refused with a message on the field", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const bad = await visit(target, browser, "POST", "/settings/domain", { form: { _csrf: browser.csrf!, domain: "not a domain" } });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("must be a domain name");
    const ours = await call(target, "PATCH", "/api/tenant", { host: owner.host, token: owner.accessToken, body: { domain: `x.${target.deps.config.BASE_DOMAIN}.example`.replace(".example", "") } });
    expect(ours.status).toBe(422);
  });
});
