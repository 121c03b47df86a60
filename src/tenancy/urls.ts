// Absolute links to a tenant's host (emails, hand-offs). The port is carried
// over from the request's own Host header, so links work on localhost:3000 in
// development and stay port-less behind the proxy.
import type { Config } from "../config";

export function tenantOrigin(config: Pick<Config, "publicScheme" | "BASE_DOMAIN">, subdomain: string, request?: Request): string {
  const port = /:(\d+)$/.exec(request?.headers.get("host") ?? "")?.[1];
  return `${config.publicScheme}://${subdomain}.${config.BASE_DOMAIN}${port ? `:${port}` : ""}`;
}

/** The apex site's origin as a browser names it in an `Origin` header (same port rule as above). */
export function apexOrigin(config: Pick<Config, "publicScheme" | "BASE_DOMAIN">, request?: Request): string {
  const port = /:(\d+)$/.exec(request?.headers.get("host") ?? "")?.[1];
  return `${config.publicScheme}://${config.BASE_DOMAIN}${port ? `:${port}` : ""}`;
}
