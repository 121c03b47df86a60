// Host → site resolution (SPEC §2), cached in Redis and invalidated on change.
import type Redis from "ioredis";
import type { Sql } from "../platform/db";

export type TenantRef = { id: string; name: string; subdomain: string; domain: string | null };
export type Site = { kind: "apex" } | { kind: "api" } | { kind: "tenant"; tenant: TenantRef };

export const SUBDOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?$/;

// Names a tenant may not take: our own hosts, and ones users would trust.
export const RESERVED_SUBDOMAINS = new Set([
  "api", "www", "app", "admin", "administrator", "mail", "email", "smtp", "imap", "pop", "ftp", "traefik", "minio",
  "s3", "static", "assets", "cdn", "status", "docs", "help", "support", "blog", "auth", "login", "signup", "account",
  "accounts", "billing", "dashboard", "internal", "metrics", "grafana", "prometheus", "root", "system", "security",
  "aggios", "localhost", "test", "dev", "staging", "console", "webhooks", "ns1", "ns2",
]);

export function isReservedSubdomain(subdomain: string): boolean {
  return RESERVED_SUBDOMAINS.has(subdomain);
}

type HostKind =
  | { kind: "apex" }
  | { kind: "api" }
  | { kind: "subdomain"; subdomain: string }
  | { kind: "custom"; domain: string }
  | { kind: "invalid" };

/** Pure classification of a Host header against BASE_DOMAIN. */
export function classifyHost(hostHeader: string | null, baseDomain: string): HostKind {
  const host = (hostHeader ?? "").toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
  if (!host || host.length > 253 || !/^[a-z0-9.-]+$/.test(host)) return { kind: "invalid" };
  if (host === baseDomain || host === `www.${baseDomain}`) return { kind: "apex" };
  if (host === `api.${baseDomain}`) return { kind: "api" };
  if (host.endsWith(`.${baseDomain}`)) {
    const subdomain = host.slice(0, -(baseDomain.length + 1));
    if (!SUBDOMAIN_PATTERN.test(subdomain) || isReservedSubdomain(subdomain)) return { kind: "invalid" };
    return { kind: "subdomain", subdomain };
  }
  return { kind: "custom", domain: host };
}

const CACHE_SECONDS = 300;
const MISS_CACHE_SECONDS = 30;
const cacheKey = (kind: "sub" | "dom", name: string) => `tenant:host:${kind}:${name}`;

type TenantRow = TenantRef & { is_active: boolean };

export function createTenancy(options: { sql: Sql; redis: Redis; baseDomain: string }) {
  const { sql, redis, baseDomain } = options;

  async function lookup(kind: "sub" | "dom", name: string): Promise<TenantRow | null> {
    const cached = await redis.get(cacheKey(kind, name));
    if (cached !== null) return cached === "" ? null : (JSON.parse(cached) as TenantRow);
    // SECURITY DEFINER function: the only cross-tenant read, and only by host.
    const [row] = await sql<TenantRow[]>`
      select id, name, subdomain, domain, is_active
      from app_tenant_by_host(${kind === "sub" ? name : null}, ${kind === "dom" ? name : null})`;
    await redis.set(cacheKey(kind, name), row ? JSON.stringify(row) : "", "EX", row ? CACHE_SECONDS : MISS_CACHE_SECONDS);
    return row ?? null;
  }

  /** The site a Host header addresses, or null for an unknown or inactive tenant. */
  async function resolve(hostHeader: string | null): Promise<Site | null> {
    const host = classifyHost(hostHeader, baseDomain);
    switch (host.kind) {
      case "apex":
      case "api":
        return host;
      case "invalid":
        return null;
    }
    const row = host.kind === "subdomain" ? await lookup("sub", host.subdomain) : await lookup("dom", host.domain);
    if (!row || !row.is_active) return null;
    return { kind: "tenant", tenant: { id: row.id, name: row.name, subdomain: row.subdomain, domain: row.domain } };
  }

  /** Call after any change to a tenant's name, domain, subdomain or status. */
  async function invalidate(tenant: { subdomain: string; domain?: string | null }, previousDomain?: string | null) {
    const keys = [cacheKey("sub", tenant.subdomain)];
    for (const domain of [tenant.domain, previousDomain]) if (domain) keys.push(cacheKey("dom", domain.toLowerCase()));
    await redis.del(...keys);
  }

  return { resolve, invalidate };
}

export type Tenancy = ReturnType<typeof createTenancy>;
