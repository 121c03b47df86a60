// /forgot-password, /reset-password?token=, /confirm-email?token= on the
// tenant host: the dashboard side of ./service.ts. No session exists yet, so
// these posts carry no CSRF token; the Origin check stands in (page-auth).
import { Elysia } from "elysia";
import { z } from "zod";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { assertSameOrigin, type TenantSite } from "../../identity/page-auth";
import { HttpError, NotFound } from "../../platform/errors";
import { parseForm } from "../../platform/forms";
import type { Site } from "../../tenancy/hosts";
import { html, type HtmlSet } from "../../../views/render";
import { password } from "../auth/schema";
import { createAccountRecovery } from "./service";
import { ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage } from "./views";

const tokenQuery = z.object({ token: z.string().max(200).optional() });
const token = z.string().min(1).max(200);
const resetForm = z
  .object({ token, password, confirm_password: z.string().max(256) })
  .refine((form) => form.password === form.confirm_password, { path: ["confirm_password"], message: "does not match the new password" });

const tenantOnly = (site: Site): TenantSite => {
  if (site.kind !== "tenant") throw NotFound();
  return site;
};

const field = (body: unknown, name: string) => {
  const value = body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === "string" ? value.slice(0, 254) : "";
};

export function passwordResetPages(deps: Deps, auth: AuthPlugin) {
  const recovery = createAccountRecovery(deps);
  // Never cached (html's default no-store): the page holds a live token. The
  // Referrer-Policy (http.ts) keeps it from leaking to other origins.
  const show = (set: HtmlSet, body: JSX.Element, status?: number) => html(set, body, { status });
  const toLogin = (set: HtmlSet, notice: string) => {
    set.status = 303;
    set.headers["location"] = `/login?notice=${notice}`;
    return "";
  };

  return new Elysia()
    .use(auth)
    .get("/forgot-password", ({ set, site }) => html(set, ForgotPasswordPage({ tenantName: tenantOnly(site).tenant.name }), { private: false }), { site: true })
    .post(
      "/forgot-password",
      async ({ request, set, site, body }) => {
        const tenantName = tenantOnly(site).tenant.name;
        assertSameOrigin(request);
        const email = field(body, "email").trim();
        if (!email) return html(set, ForgotPasswordPage({ tenantName, error: "Enter your email." }), { status: 422 });
        try {
          await recovery.requestReset(email, request);
        } catch (error) {
          if (!(error instanceof HttpError) || error.status !== 429) throw error;
          return html(set, ForgotPasswordPage({ tenantName, email, error: "Too many requests. Wait a few minutes and try again." }), { status: 429 });
        }
        // The same answer whether or not the email has an account.
        return html(set, ForgotPasswordPage({ tenantName, sent: true }));
      },
      { site: true },
    )
    .get(
      "/reset-password",
      ({ set, site, query }) => show(set, ResetPasswordPage({ tenantName: tenantOnly(site).tenant.name, token: query.token ?? "" })),
      { site: true, query: tokenQuery },
    )
    .post(
      "/reset-password",
      async ({ request, set, site, body }) => {
        const tenantName = tenantOnly(site).tenant.name;
        assertSameOrigin(request);
        const form = parseForm(resetForm, body);
        if (!form.ok) return show(set, ResetPasswordPage({ tenantName, token: field(body, "token"), errors: form.errors }), 422);
        try {
          await recovery.reset(form.data.token, form.data.password, request);
        } catch (error) {
          if (!(error instanceof HttpError) || error.status !== 401) throw error;
          return show(set, ResetPasswordPage({ tenantName, token: "", error: "This reset link is invalid, expired or already used." }), 400);
        }
        return toLogin(set, "password_reset");
      },
      { site: true },
    )
    .get(
      "/confirm-email",
      ({ set, site, query }) => show(set, ConfirmEmailPage({ tenantName: tenantOnly(site).tenant.name, token: query.token ?? "" })),
      { site: true, query: tokenQuery },
    )
    .post(
      "/confirm-email",
      async ({ request, set, site, body }) => {
        const tenantName = tenantOnly(site).tenant.name;
        assertSameOrigin(request);
        const parsed = token.safeParse(field(body, "token"));
        try {
          if (!parsed.success) throw new HttpError(401, "unauthenticated", "");
          const userId = await recovery.confirmEmailChange(parsed.data, request);
          // Sessions carry the email they were opened with: sign in again with the new one.
          await deps.sessions.endAllForUser(userId);
        } catch (error) {
          if (!(error instanceof HttpError) || ![401, 409].includes(error.status)) throw error;
          const message = error.status === 409 ? error.message : "This confirmation link is invalid, expired or already used.";
          return show(set, ConfirmEmailPage({ tenantName, token: "", error: message }), error.status === 409 ? 409 : 400);
        }
        set.headers["set-cookie"] = deps.sessions.clearCookie();
        return toLogin(set, "email_changed");
      },
      { site: true },
    );
}
