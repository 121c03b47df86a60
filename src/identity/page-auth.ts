// Cookie authentication for the dashboard: the session behind the cookie, the
// CSRF check for state-changing requests, and the shell every signed-in page
// needs. Used by the `page` and `auth` macros (auth.ts) and by the two routes
// that serve both the apex and tenant hosts (`/`, `/login`).
import type { Database } from "../platform/db";
import { Forbidden, HttpError } from "../platform/errors";
import { requestMeta } from "../platform/http";
import type { Site, TenantRef } from "../tenancy/hosts";
import type { Shell } from "../../views/layout";
import { isHtmx } from "../../views/render";
import { hasRole } from "./roles";
import { csrfMatches, type Session, type Sessions } from "./sessions";
import type { Role } from "./tokens";

export type SessionActor = { kind: "session"; via: "session"; userId: string; tenantId: string; email: string; role: Role; session: Session };
export type TenantSite = { kind: "tenant"; tenant: TenantRef };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const formTokens = new WeakMap<Request, string>();

/** Called from the macros' transform hook: keeps `_csrf` before the body schema strips it. */
export function rememberFormToken(request: Request, body: unknown) {
  if (body && typeof body === "object" && "_csrf" in body) formTokens.set(request, String((body as { _csrf: unknown })._csrf));
}

/**
 * Forms posted before there is a session (login, sign-up, invitation) have no
 * CSRF token to carry; a browser's Origin header must then name this very host,
 * so a sibling subdomain cannot log a victim into an attacker's account.
 */
export function assertSameOrigin(request: Request) {
  const origin = request.headers.get("origin");
  if (!origin) return;
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if (originHost !== request.headers.get("host")) throw new HttpError(403, "csrf_failed", "This form did not come from this site.");
}

/** The login page, or (for htmx) an HX-Redirect to it, remembering where the user was going. */
export function loginRequired(request: Request): HttpError {
  const url = new URL(request.url);
  const next = SAFE_METHODS.has(request.method) && url.pathname !== "/" ? `?next=${encodeURIComponent(url.pathname + url.search)}` : "";
  const location = `/login${next}`;
  return isHtmx(request)
    ? new HttpError(200, "login_required", "Sign in to continue.", undefined, { "HX-Redirect": location })
    : new HttpError(303, "login_required", "Sign in to continue.", undefined, { Location: location });
}

export function createPageAuth(deps: { sessions: Sessions; db: Database }) {
  const { sessions, db } = deps;

  /** The session actor for this tenant host, or null. A session of tenant A is worthless on B. */
  async function sessionActor(request: Request, site: Site): Promise<SessionActor | null> {
    if (site.kind !== "tenant") return null;
    const session = await sessions.validate(sessions.tokenFrom(request));
    if (!session || session.tenant_id !== site.tenant.id) return null;
    const meta = requestMeta(request);
    meta.tenantId = session.tenant_id;
    meta.userId = session.user_id;
    return { kind: "session", via: "session", userId: session.user_id, tenantId: session.tenant_id, email: session.email, role: session.role, session };
  }

  /**
   * Sibling tenant subdomains are same-site, so SameSite=Lax does not stop
   * `evil.BASE_DOMAIN` from posting to `acme.BASE_DOMAIN`: every unsafe
   * cookie-authenticated request must carry the session's token.
   */
  function assertCsrf(request: Request, session: Session) {
    if (SAFE_METHODS.has(request.method)) return;
    const submitted = request.headers.get("x-csrf-token") ?? formTokens.get(request);
    if (!csrfMatches(session, submitted)) throw new HttpError(403, "csrf_failed", "The form has expired or did not come from this site. Reload the page and try again.");
  }

  /** A signed-in page: redirects to /login without a session, 403 below `minimum`. */
  async function requirePage(request: Request, site: Site, minimum: Role): Promise<{ site: TenantSite; actor: SessionActor; shell: Shell }> {
    if (site.kind !== "tenant") throw new HttpError(404, "not_found", "This page lives on your workspace's address.");
    const actor = await sessionActor(request, site);
    if (!actor) throw loginRequired(request);
    assertCsrf(request, actor.session);
    // The user row is the truth: a deactivated user's leftover session dies here.
    const [user] = await db.withTenant(actor.tenantId, (tx) => tx<{ first_name: string; last_name: string; role: Role; is_active: boolean }[]>`
      select first_name, last_name, role, is_active from users where tenant_id = ${actor.tenantId} and id = ${actor.userId}`);
    if (!user || !user.is_active) {
      await sessions.end(actor.session.id, actor.userId);
      throw loginRequired(request);
    }
    actor.role = user.role;
    if (!hasRole(actor.role, minimum)) throw Forbidden("Your role does not allow this page. Ask an admin of your workspace.");
    const flash = SAFE_METHODS.has(request.method) ? await sessions.takeFlash(actor.session.id) : [];
    const shell: Shell = {
      user: { id: actor.userId, name: `${user.first_name} ${user.last_name}`, email: actor.email, role: actor.role },
      tenant: { name: site.tenant.name, subdomain: site.tenant.subdomain },
      csrfToken: actor.session.csrf,
      flash,
    };
    return { site, actor, shell };
  }

  return { sessionActor, assertCsrf, requirePage };
}

export type PageAuth = ReturnType<typeof createPageAuth>;
