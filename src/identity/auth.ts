// The auth plugin: route options `site` and `auth` resolve the host's site and
// the caller. Macros, not global hooks, so static files and /health never pay
// for a Redis or Postgres look-up.
import { Elysia } from "elysia";
import { AUTH_SECURITY } from "../platform/api-docs";
import { Forbidden, HttpError, NotFound, Unauthorized } from "../platform/errors";
import { requestMeta } from "../platform/http";
import type { Site, Tenancy } from "../tenancy/hosts";
import { isApiKey, type ApiKeyRole, type ApiKeys } from "./api-keys";
import { rememberFormToken, type PageAuth, type SessionActor } from "./page-auth";
import type { RateLimits } from "./rate-limits";
import { hasRole } from "./roles";
import type { AccessClaims, AccessTokens, Role } from "./tokens";

export type UserActor = {
  kind: "user";
  userId: string;
  tenantId: string;
  email: string;
  role: Role;
  token: AccessClaims;
};

/** An integration calling with `Authorization: Bearer agk_…`: no person, the key's own role. */
export type ApiKeyActor = { kind: "api_key"; via: "api_key"; keyId: string; tenantId: string; name: string; role: ApiKeyRole };

export type Actor = UserActor | ApiKeyActor | SessionActor;

/** For actions only a person may take (logout, minting API keys): refuses API keys with 403. */
export function requireUser(actor: Actor): Exclude<Actor, ApiKeyActor> {
  if (actor.kind === "api_key") throw new HttpError(403, "user_required", "This action needs a person's credential, not an API key.");
  return actor;
}

function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,4096})$/i.exec(header.trim());
  return match?.[1] ?? null;
}

export function authPlugin(deps: { tenancy: Tenancy; accessTokens: AccessTokens; apiKeys: ApiKeys; rateLimits: RateLimits; pageAuth: PageAuth }) {
  async function resolveSite(request: Request): Promise<Site> {
    const site = await deps.tenancy.resolve(request.headers.get("host"));
    if (!site) throw NotFound("No workspace lives at this address.");
    if (site.kind === "tenant") requestMeta(request).tenantId = site.tenant.id;
    return site;
  }

  async function resolveActor(request: Request, site: Site): Promise<Actor> {
    const token = bearerToken(request);
    if (!token) throw Unauthorized();
    if (isApiKey(token)) return resolveApiKeyActor(request, site, token);
    const claims = await deps.accessTokens.verify(token);
    if (!claims) throw Unauthorized("The access token is invalid or expired.");
    // A credential of tenant A is worthless on tenant B's host.
    if (site.kind === "tenant" && site.tenant.id !== claims.tenant_id) throw Unauthorized("This credential belongs to another workspace.");
    // The revocation look-up and the rate limit are issued in the same tick, so
    // ioredis auto-pipelining sends them in one write and one round trip.
    // Revoked still answers 401 before an exceeded limit's 429.
    const [current, limit] = await Promise.allSettled([deps.accessTokens.check(claims), limitApiUse(request, `user:${claims.user_id}`)]);
    if (current.status === "rejected") throw current.reason;
    if (!current.value) {
      // A revoked token must not spend its user's budget (a leaked, revoked token could otherwise lock the user out of the API).
      if (limit.status === "fulfilled" && limit.value) await deps.rateLimits.refundApiRequest(limit.value);
      throw Unauthorized("The access token has been revoked.");
    }
    if (limit.status === "rejected") throw limit.reason;
    const meta = requestMeta(request);
    meta.tenantId = claims.tenant_id;
    meta.userId = claims.user_id;
    return { kind: "user", userId: claims.user_id, tenantId: claims.tenant_id, email: claims.email, role: current.value.role, token: claims };
  }

  async function resolveApiKeyActor(request: Request, site: Site, key: string): Promise<ApiKeyActor> {
    const state = await deps.apiKeys.authenticate(key);
    if (!state) throw Unauthorized("The API key is invalid, expired or revoked.");
    // Same rule as for tokens: a key of tenant A is worthless on tenant B's host.
    if (site.kind === "tenant" && site.tenant.id !== state.tenantId) throw Unauthorized("This credential belongs to another workspace.");
    requestMeta(request).tenantId = state.tenantId;
    await deps.apiKeys.touch(state);
    await limitApiUse(request, `key:${state.id}`);
    return { kind: "api_key", via: "api_key", keyId: state.id, tenantId: state.tenantId, name: state.name, role: state.role };
  }

  // SPEC §7 "API per credential": a key, or a person across all their tokens
  // ("key:<id>", "user:<id>"). Returns the credential when a point was spent.
  async function limitApiUse(request: Request, credential: string): Promise<string | null> {
    if (!new URL(request.url).pathname.startsWith("/api/")) return null;
    await deps.rateLimits.beforeApiRequest(credential);
    return credential;
  }

  // A browser on a tenant host calls the API with its session cookie instead of
  // a bearer token; then (and only then) the CSRF token is required.
  async function resolveCallerActor(request: Request, site: Site): Promise<Actor> {
    if (request.headers.has("authorization")) return resolveActor(request, site);
    const actor = await deps.pageAuth.sessionActor(request, site);
    if (!actor) throw Unauthorized();
    deps.pageAuth.assertCsrf(request, actor.session);
    await limitApiUse(request, `user:${actor.userId}`);
    return actor;
  }

  return new Elysia({ name: "auth" }).macro({
    /** Resolves `site` (404 for an unknown or inactive tenant host). */
    site: (enabled: true) => ({
      resolve: async ({ request }) => ({ site: enabled && (await resolveSite(request)) as Site }),
    }),
    /** Resolves `site` and `actor`; refuses callers below `minimum`. */
    auth: (minimum: Role) => ({
      // Tells the OpenAPI document (features/docs) how to call the route.
      detail: { security: AUTH_SECURITY, "x-aggios-minimum-role": minimum } as { security: typeof AUTH_SECURITY },
      transform: ({ request, body }) => rememberFormToken(request, body),
      resolve: async ({ request }) => {
        const site = await resolveSite(request);
        // Each credential path spends its rate-limit point itself (bearer tokens together with the revocation check).
        const actor = await resolveCallerActor(request, site);
        if (!hasRole(actor.role, minimum)) throw Forbidden();
        return { site, actor };
      },
    }),
    /** A dashboard page: session cookie only; /login without one, 403 below `minimum`, CSRF on unsafe methods. */
    page: (minimum: Role) => ({
      transform: ({ request, body }) => rememberFormToken(request, body),
      resolve: async ({ request }) => deps.pageAuth.requirePage(request, await resolveSite(request), minimum),
    }),
  });
}

export type AuthPlugin = ReturnType<typeof authPlugin>;
