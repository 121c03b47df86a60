// GET /internal/traefik/dynamic.json: Traefik's HTTP provider polls this for
// one router per verified custom domain (traefik/traefik.yml, providers.http).
// Apex, api. and subdomain routers are static compose labels; only custom
// domains change at run time.
import { Elysia } from "elysia";
import type { Config } from "../config";
import type { Sql } from "../platform/db";
import { requireInternalToken } from "../platform/internal-auth";

// A domain is spliced into a Traefik rule between backticks: anything but a
// plain host name (a backtick, `||`, a space) could rewrite the rule and
// capture other hosts' traffic, so it is dropped, whatever the database holds.
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export async function listVerifiedCustomDomains(sql: Sql): Promise<string[]> {
  // SECURITY DEFINER (sql/0008): verified domains of active tenants, nothing else.
  const rows = await sql<{ domain: string }[]>`select domain from app_verified_custom_domains()`;
  return rows.map((row) => row.domain);
}

type Router = { rule: string; service: string; entryPoints: string[]; tls: { certResolver: string } };

export function traefikDynamicConfig(domains: string[], baseDomain: string) {
  const routers: Record<string, Router> = {};
  for (const domain of domains) {
    // Our own hosts are routed by compose labels; a "custom" domain under
    // BASE_DOMAIN would only shadow them.
    if (!HOST_NAME.test(domain) || domain === baseDomain || domain.endsWith(`.${baseDomain}`)) continue;
    // `.` → `_` is reversible (host names have no `_`), so names never collide.
    routers[`custom-${domain.replaceAll(".", "_")}`] = {
      // Same exclusions as the compose routers: internal endpoints never face the internet.
      rule: `Host(\`${domain}\`) && !PathPrefix(\`/internal\`) && !Path(\`/metrics\`)`,
      service: "aggios@docker",
      entryPoints: ["websecure"],
      // Single names: HTTP-01 works for any domain pointed at us, no DNS API needed.
      tls: { certResolver: "letsencrypt-http" },
    };
  }
  return { http: { routers } };
}

export function customDomainRoutes(deps: { config: Config; db: { sql: Sql } }) {
  return new Elysia({ name: "custom-domains" }).get("/internal/traefik/dynamic.json", async ({ request, set }) => {
    requireInternalToken(request, deps.config.INTERNAL_TOKEN, "internal");
    set.headers["cache-control"] = "no-store";
    return traefikDynamicConfig(await listVerifiedCustomDomains(deps.db.sql), deps.config.BASE_DOMAIN);
  });
}
