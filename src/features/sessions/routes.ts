// Dashboard sign-in on a tenant host: the login form (served through the
// host switch in features/site), logout, and the apex → tenant hand-off.
import { Elysia } from "elysia";
import { z } from "zod";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { assertSameOrigin, type TenantSite } from "../../identity/page-auth";
import { HttpError } from "../../platform/errors";
import { requestMeta } from "../../platform/http";
import type { Site } from "../../tenancy/hosts";
import { apexOrigin } from "../../tenancy/urls";
import { html, redirect, type HtmlSet } from "../../../views/render";
import { auditContext, recordAudit } from "../audit/record";
import { findUser } from "../auth/queries";
import { createAuthService } from "../auth/service";
import { createSecondFactorHandlers } from "./second-factor";
import { LoginPage } from "./views";

const loginForm = z.object({ email: z.string().trim().max(254), password: z.string().max(256), next: z.string().max(500).optional() });

// Messages the login page shows after a redirect, chosen by a fixed key (never text from the URL).
const NOTICES: Record<string, { kind: "success" | "error" | "info"; message: string }> = {
  expired: { kind: "error", message: "That sign-in expired or was already used. Sign in again." },
  password_reset: { kind: "success", message: "Your password was changed. Sign in with the new one." },
  email_changed: { kind: "success", message: "Your email address was changed. Sign in with the new one." },
};

/** Only local paths: `next` must never send a user to another site (open redirect). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[^\\\s]*$/.test(next) ? next : "/";
}

export function createLoginHandlers(deps: Deps) {
  const { db, sessions } = deps;
  const authService = createAuthService(deps);

  /** Opens a session for `user` (a new id every time: no fixation) and sets its cookie. */
  async function openSession(set: HtmlSet, request: Request, user: { id: string; tenant_id: string; email: string; role: "owner" | "admin" | "member" }) {
    const { token, session } = await sessions.create(user, { ip: requestMeta(request).ip, userAgent: request.headers.get("user-agent") });
    set.headers["set-cookie"] = sessions.cookie(token);
    return session;
  }

  function showLogin(request: Request, set: HtmlSet, site: TenantSite, query: Record<string, string | undefined>) {
    const notice = query.notice && Object.hasOwn(NOTICES, query.notice) ? NOTICES[query.notice] : undefined;
    return html(set, LoginPage({ tenantName: site.tenant.name, next: safeNext(query.next), flash: notice ? [notice] : undefined }), { private: false });
  }

  async function submitLogin(request: Request, set: HtmlSet, site: TenantSite, body: unknown) {
    assertSameOrigin(request);
    const form = loginForm.safeParse(body ?? {});
    const email = form.success ? form.data.email : "";
    const next = safeNext(form.success ? form.data.next : undefined);
    const again = (error: string, status: number) => html(set, LoginPage({ tenantName: site.tenant.name, email, error, next }), { status });
    if (!form.success) return again("Enter your email and password.", 422);
    let user;
    try {
      user = await authService.authenticate({ email: form.data.email, password: form.data.password }, site, request);
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) return again(error.message, 401);
      if (error instanceof HttpError && error.status === 429) return again("Too many attempts. Wait a few minutes and try again.", 429);
      throw error;
    }
    const step = await authService.secondFactor(user);
    if (step !== "none") return secondFactor.begin(set, site, user, step, next);
    await authService.completeLogin(user, request, async () => undefined);
    await openSession(set, request, user);
    return redirect(request, set, next);
  }

  const secondFactor = createSecondFactorHandlers(deps, authService, openSession, safeNext);

  return { showLogin, submitLogin, openSession, secondFactor };
}

export function sessionRoutes(deps: Deps, auth: AuthPlugin) {
  const { db, sessions, handoffs } = deps;
  const { openSession, secondFactor } = createLoginHandlers(deps);
  const tenantOnly = (site: Site): TenantSite => {
    if (site.kind !== "tenant") throw new HttpError(404, "not_found", "Not found.");
    return site;
  };

  return new Elysia()
    .use(auth)
    .post(
      "/logout",
      async ({ actor, request, set }) => {
        await db.withTenant(actor.tenantId, (tx) =>
          recordAudit(tx, actor.tenantId, auditContext(request, { type: "user", id: actor.userId, label: actor.email }), {
            action: "auth.logout",
            target: { type: "user", id: actor.userId },
          }),
        );
        await sessions.end(actor.session.id, actor.userId);
        set.headers["set-cookie"] = sessions.clearCookie();
        return redirect(request, set, "/login");
      },
      { page: "member" },
    )
    .post("/login/two-factor", ({ request, set, site, body }) => secondFactor.answerChallenge(request, set, tenantOnly(site), body), { site: true })
    .post("/login/enrol", ({ request, set, site, body }) => secondFactor.answerEnrolment(request, set, tenantOnly(site), body), { site: true })
    // Login CSRF: whoever signs up an agency holds a live hand-off token for it.
    // Were a link carrying the token enough, an attacker could sign up, send
    // the link to a victim and have them working, unawares, in the attacker's
    // workspace (typing client data the attacker then reads). So the token
    // never travels in a URL: the apex answers the sign-up with a form that
    // posts it here, and a post counts only when its Origin is the apex. A
    // browser stamps Origin on every cross-origin POST and no other page (an
    // attacker's site, a sibling tenant host) can claim the apex's, so only the
    // browser the apex handed the token to can spend it. (A nonce cookie with
    // Domain=BASE_DOMAIN would bind the browser too, but Chromium keeps
    // `Domain=localhost` host-only: it never reaches `acme.localhost` in
    // development.) The origin is checked before the token is consumed.
    .post(
      "/auth/handoff",
      async ({ body, request, set, site }) => {
        if (site.kind !== "tenant") throw new HttpError(404, "not_found", "Not found.");
        if (request.headers.get("origin") !== apexOrigin(deps.config, request)) throw new HttpError(403, "csrf_failed", "This sign-in did not come from the Aggios sign-up page.");
        const handoff = await handoffs.consume(String((body as { token?: unknown } | undefined)?.token ?? ""), request.headers.get("host") ?? "", site.tenant.id);
        if (!handoff) {
          const error = "That sign-in has expired or was already used. Sign in with your email and password.";
          return html(set, LoginPage({ tenantName: site.tenant.name, error }), { status: 400, private: false });
        }
        const user = await db.withTenant(site.tenant.id, (tx) => findUser(tx, site.tenant.id, handoff.user_id));
        if (!user) throw new HttpError(404, "not_found", "Not found.");
        await db.withTenant(site.tenant.id, (tx) =>
          recordAudit(tx, site.tenant.id, auditContext(request, { type: "user", id: user.id, label: user.email }), { action: "auth.login", target: { type: "user", id: user.id } }),
        );
        const session = await openSession(set, request, user);
        await sessions.setFlash(session.id, { kind: "success", message: `Welcome to ${site.tenant.name}! Your workspace is ready.` });
        // Post/redirect/get: a reload of the landing page does not re-post the token.
        set.status = 303;
        set.headers["location"] = "/";
        return "";
      },
      { site: true },
    );
}

