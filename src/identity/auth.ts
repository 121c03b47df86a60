// The auth plugin: route options `site` and `auth` resolve the host's site and
// the caller. Macros, not global hooks, so static files and /health never pay
// for a Redis or Postgres look-up.
import { Elysia } from "elysia";
import { Forbidden, NotFound, Unauthorized } from "../platform/errors";
import { requestMeta } from "../platform/http";
import type { Site, Tenancy } from "../tenancy/hosts";
import { hasRole } from "./roles";
import type { AccessClaims, AccessTokens, Role } from "./tokens";

export type Actor = {
  kind: "user";
  userId: string;
  tenantId: string;
  email: string;
  role: Role;
  token: AccessClaims;
};

function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,4096})$/i.exec(header.trim());
  return match?.[1] ?? null;
}

export function authPlugin(deps: { tenancy: Tenancy; accessTokens: AccessTokens }) {
  async function resolveSite(request: Request): Promise<Site> {
    const site = await deps.tenancy.resolve(request.headers.get("host"));
    if (!site) throw NotFound("No workspace lives at this address.");
    if (site.kind === "tenant") requestMeta(request).tenantId = site.tenant.id;
    return site;
  }

  async function resolveActor(request: Request, site: Site): Promise<Actor> {
    const token = bearerToken(request);
    if (!token) throw Unauthorized();
    const claims = await deps.accessTokens.verify(token);
    if (!claims) throw Unauthorized("The access token is invalid or expired.");
    // A credential of tenant A is worthless on tenant B's host.
    if (site.kind === "tenant" && site.tenant.id !== claims.tenant_id) throw Unauthorized("This credential belongs to another workspace.");
    const current = await deps.accessTokens.check(claims);
    if (!current) throw Unauthorized("The access token has been revoked.");
    const meta = requestMeta(request);
    meta.tenantId = claims.tenant_id;
    meta.userId = claims.user_id;
    return { kind: "user", userId: claims.user_id, tenantId: claims.tenant_id, email: claims.email, role: current.role, token: claims };
  }

  return new Elysia({ name: "auth" }).macro({
    /** Resolves `site` (404 for an unknown or inactive tenant host). */
    site: (enabled: true) => ({
      resolve: async ({ request }) => ({ site: enabled && (await resolveSite(request)) as Site }),
    }),
    /** Resolves `site` and `actor`; refuses callers below `minimum`. */
    auth: (minimum: Role) => ({
      resolve: async ({ request }) => {
        const site = await resolveSite(request);
        const actor = await resolveActor(request, site);
        if (!hasRole(actor.role, minimum)) throw Forbidden();
        return { site, actor };
      },
    }),
  });
}

export type AuthPlugin = ReturnType<typeof authPlugin>;
