import { afterAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { call, makeApp, signupTenant, unique } from "../../test/helpers";
import { traefikDynamicConfig } from "./custom-domains";

const INTERNAL_TOKEN = "internal-token-for-tests-0123456789";
const target = makeApp({ INTERNAL_TOKEN });
// The schema owner (BYPASSRLS) stands in for the verification job: marking a
// domain verified is not an API a test can call directly.
const owner = postgres(process.env.MIGRATION_DATABASE_URL!, { max: 1, onnotice: () => {} });
afterAll(() => owner.end());

async function tenantWithDomain(state: { verified: boolean; active: boolean }, domain = `${unique("www")}.example.org`) {
  const signedUp = await signupTenant(target);
  await owner`update tenants set domain = ${domain}, domain_verified_at = ${state.verified ? new Date() : null}, is_active = ${state.active}
    where id = ${signedUp.tenant.id}`;
  return domain;
}

const fetchConfig = (token?: string) => call(target, "GET", "/internal/traefik/dynamic.json", { token, host: "app:3000" });

describe("GET /internal/traefik/dynamic.json", () => {
  test("one router per verified domain of an active tenant, nothing else", async () => {
    const verified = await tenantWithDomain({ verified: true, active: true });
    const unverified = await tenantWithDomain({ verified: false, active: true });
    const inactive = await tenantWithDomain({ verified: true, active: false });
    const shouting = await tenantWithDomain({ verified: true, active: true }, `${unique("WWW")}.Example.ORG`);

    const response = await fetchConfig(INTERNAL_TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const routers = response.json.http.routers as Record<string, { rule: string; service: string; entryPoints: string[]; tls: unknown }>;
    const rules = Object.values(routers).map((router) => router.rule);

    expect(routers[`custom-${verified.replaceAll(".", "_")}`]).toEqual({
      rule: `Host(\`${verified}\`) && !PathPrefix(\`/internal\`) && !Path(\`/metrics\`)`,
      service: "aggios@docker",
      entryPoints: ["websecure"],
      tls: { certResolver: "letsencrypt-http" },
    });
    expect(rules.some((rule) => rule.includes(shouting.toLowerCase()))).toBe(true);
    for (const hidden of [unverified, inactive]) expect(rules.some((rule) => rule.includes(hidden))).toBe(false);
  });

  test("a domain that is not a plain host name never reaches a rule", async () => {
    const evil = `${unique("evil")}.example\`) || HostRegexp(\`.*`;
    await tenantWithDomain({ verified: true, active: true }, evil);
    const response = await fetchConfig(INTERNAL_TOKEN);
    expect(response.status).toBe(200);
    expect(response.text).not.toContain("HostRegexp");
    // Nor may a "custom" domain shadow the platform's own hosts.
    const base = target.deps.config.BASE_DOMAIN;
    expect(Object.keys(traefikDynamicConfig([`api.${base}`, base, "ok.example.net"], base).http.routers)).toEqual(["custom-ok_example_net"]);
  });

  test("401 without the right token", async () => {
    for (const token of [undefined, "wrong-token", INTERNAL_TOKEN.slice(0, -1), `${INTERNAL_TOKEN}0`]) {
      const response = await fetchConfig(token);
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe("unauthenticated");
    }
  });

  test("404 when INTERNAL_TOKEN is not configured", async () => {
    const bare = makeApp({ INTERNAL_TOKEN: "" });
    const response = await call(bare, "GET", "/internal/traefik/dynamic.json", { token: INTERNAL_TOKEN, host: "app:3000" });
    expect(response.status).toBe(404);
  });
});
