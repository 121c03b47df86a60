import { describe, expect, test } from "bun:test";
import { makeApp, signupTenant, unique } from "../../test/helpers";
import { classifyHost } from "./hosts";

describe("classifyHost", () => {
  const base = "aggios.app";
  test.each([
    ["aggios.app", { kind: "apex" }],
    ["www.aggios.app", { kind: "apex" }],
    ["WWW.Aggios.App:443", { kind: "apex" }],
    ["api.aggios.app", { kind: "api" }],
    ["acme.aggios.app", { kind: "subdomain", subdomain: "acme" }],
    ["acme.aggios.app.", { kind: "subdomain", subdomain: "acme" }],
    ["a.b.aggios.app", { kind: "invalid" }],
    ["admin.aggios.app", { kind: "invalid" }],
    ["-x.aggios.app", { kind: "invalid" }],
    ["clients.acme.com", { kind: "custom", domain: "clients.acme.com" }],
    ["", { kind: "invalid" }],
    ["evil.com/@x", { kind: "invalid" }],
    ["aggios.app.evil.com", { kind: "custom", domain: "aggios.app.evil.com" }],
  ])("%s", (host, expected) => {
    expect(classifyHost(host, base)).toEqual(expected as never);
  });
});

describe("tenancy.resolve", () => {
  const target = makeApp();
  const { tenancy, db, redis, config } = target.deps;

  test("resolves a tenant subdomain and caches it in Redis", async () => {
    const owner = await signupTenant(target);
    const site = await tenancy.resolve(owner.host);
    expect(site).toEqual({ kind: "tenant", tenant: { id: owner.tenant.id, name: owner.tenant.name, subdomain: owner.tenant.subdomain, domain: null } });
    expect(await redis.get(`tenant:host:sub:${owner.tenant.subdomain}`)).toContain(owner.tenant.id);
  });

  test("a change is visible after invalidation", async () => {
    const owner = await signupTenant(target);
    await tenancy.resolve(owner.host);
    await db.withTenant(owner.tenant.id, (tx) => tx`update tenants set name = 'Renamed' where id = ${owner.tenant.id}`);
    await tenancy.invalidate(owner.tenant);
    const site = await tenancy.resolve(owner.host);
    expect(site?.kind === "tenant" && site.tenant.name).toBe("Renamed");
  });

  test("unknown subdomains, inactive tenants and unverified custom domains resolve to nothing", async () => {
    expect(await tenancy.resolve(`${unique("nobody")}.${config.BASE_DOMAIN}`)).toBeNull();
    const owner = await signupTenant(target);
    const domain = `${unique("clients")}.example.test`;
    await db.withTenant(owner.tenant.id, (tx) => tx`update tenants set domain = ${domain} where id = ${owner.tenant.id}`);
    expect(await tenancy.resolve(domain)).toBeNull();
    await db.withTenant(owner.tenant.id, (tx) => tx`update tenants set domain_verified_at = now() where id = ${owner.tenant.id}`);
    await tenancy.invalidate({ subdomain: owner.tenant.subdomain, domain });
    const site = await tenancy.resolve(domain.toUpperCase());
    expect(site?.kind === "tenant" && site.tenant.id).toBe(owner.tenant.id);
    await db.withTenant(owner.tenant.id, (tx) => tx`update tenants set is_active = false where id = ${owner.tenant.id}`);
    await tenancy.invalidate({ subdomain: owner.tenant.subdomain, domain });
    expect(await tenancy.resolve(domain)).toBeNull();
    expect(await tenancy.resolve(owner.host)).toBeNull();
  });
});
