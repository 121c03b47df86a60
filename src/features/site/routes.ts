// The institutional site on the apex host, and the host switch for the two
// paths both kinds of host serve: `/` (landing | overview) and `/login`
// (workspace finder | tenant sign-in).
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { assertSameOrigin } from "../../identity/page-auth";
import { HttpError, NotFound } from "../../platform/errors";
import { parseForm } from "../../platform/forms";
import { classifyHost, isReservedSubdomain, type Site } from "../../tenancy/hosts";
import { tenantOrigin } from "../../tenancy/urls";
import { html, isHtmx, type HtmlSet } from "../../../views/render";
import { subdomainTaken } from "../auth/queries";
import { signupBody, subdomain as subdomainSchema } from "../auth/schema";
import { createAuthService } from "../auth/service";
import { overviewPage } from "../overview/routes";
import { createLoginHandlers } from "../sessions/routes";
import { FindWorkspacePage, HandoffPage, LandingPage, SignupPage, SubdomainStatus } from "./views";

const apexOnly = (site: Site) => {
  if (site.kind !== "apex") throw NotFound();
};

export function siteRoutes(deps: Deps, auth: AuthPlugin) {
  const { config, db, handoffs } = deps;
  const authService = createAuthService(deps);
  const login = createLoginHandlers(deps);
  const overview = overviewPage(deps);
  const baseDomain = config.BASE_DOMAIN;

  async function signUp(request: Request, set: HtmlSet, body: unknown) {
    assertSameOrigin(request);
    const form = parseForm(signupBody.strip(), body);
    if (!form.ok) return html(set, SignupPage({ values: form.values, errors: form.errors, baseDomain }), { status: 422, private: false });
    let result;
    try {
      // The very service behind POST /api/auth/signup.
      result = await authService.signUp(form.data, request);
    } catch (error) {
      if (!(error instanceof HttpError) || ![409, 429].includes(error.status)) throw error;
      const field = error.code === "subdomain_taken" ? "subdomain" : error.code === "email_taken" ? "email" : undefined;
      const values = { ...form.data, password: undefined };
      return html(set, SignupPage({ values, errors: field ? { [field]: error.message } : {}, formError: field ? undefined : error.message, baseDomain }), { status: error.status, private: false });
    }
    const { tenant, user } = result;
    const token = await handoffs.issue({ user_id: user.id, tenant_id: tenant.id, host: `${tenant.subdomain}.${config.BASE_DOMAIN}` });
    // Not a redirect with the token in the URL: the token goes only into this
    // response, as a form that posts it from the apex (see POST /auth/handoff).
    const action = `${tenantOrigin(config, tenant.subdomain, request)}/auth/handoff`;
    return html(set, HandoffPage({ action, token, workspace: `${tenant.subdomain}.${baseDomain}` }));
  }

  async function checkSubdomain(set: HtmlSet, value: string) {
    const parsed = subdomainSchema.safeParse(value);
    let status: Parameters<typeof SubdomainStatus>[0];
    if (!value.trim()) status = { state: "idle", message: "" };
    else if (!parsed.success) status = { state: "invalid", message: isReservedSubdomain(value.trim().toLowerCase()) ? "That address is reserved." : "Use 3–63 lower-case letters, digits or hyphens." };
    else if (await subdomainTaken(db.sql, parsed.data)) status = { state: "taken", message: `${parsed.data}.${baseDomain} is already taken.` };
    else status = { state: "available", message: `${parsed.data}.${baseDomain} is available.` };
    return html(set, SubdomainStatus(status), { private: false });
  }

  function findWorkspace(request: Request, set: HtmlSet, body: unknown) {
    const value = String((body as { subdomain?: unknown } | undefined)?.subdomain ?? "").trim().toLowerCase().replace(new RegExp(`\\.${baseDomain.replaceAll(".", "\\.")}$`), "");
    const host = classifyHost(`${value}.${baseDomain}`, baseDomain);
    if (host.kind !== "subdomain") return html(set, FindWorkspacePage({ value, error: "Enter your workspace address, like “acme”.", baseDomain }), { status: 422, private: false });
    // Existence is checked by the tenant host itself (404 page): the finder does not confirm which agencies exist.
    set.status = 303;
    set.headers["location"] = `${tenantOrigin(config, value, request)}/login`;
    return "";
  }

  return new Elysia()
    .use(auth)
    .get(
      "/",
      ({ request, set, site }) => {
        if (site.kind === "tenant") return overview(request, set, site);
        if (site.kind === "api") throw NotFound("The API lives under /api.");
        return html(set, LandingPage(), { private: false });
      },
      { site: true },
    )
    .get(
      "/login",
      async ({ request, set, site, query }) => {
        if (site.kind === "tenant") {
          // Already signed in here: straight to the dashboard.
          if (await deps.pageAuth.sessionActor(request, site)) {
            set.status = 303;
            set.headers["location"] = "/";
            return "";
          }
          return login.showLogin(request, set, site, query);
        }
        apexOnly(site);
        return html(set, FindWorkspacePage({ baseDomain }), { private: false });
      },
      { site: true },
    )
    .post(
      "/login",
      ({ request, set, site, body }) => {
        if (site.kind === "tenant") return login.submitLogin(request, set, site, body);
        apexOnly(site);
        return findWorkspace(request, set, body);
      },
      { site: true },
    )
    .get(
      "/signup",
      ({ set, site }) => {
        apexOnly(site);
        return html(set, SignupPage({ baseDomain }), { private: false });
      },
      { site: true },
    )
    .post(
      "/signup",
      ({ request, set, site, body }) => {
        apexOnly(site);
        return signUp(request, set, body);
      },
      { site: true },
    )
    .get(
      "/signup/check",
      ({ request, set, site, query }) => {
        apexOnly(site);
        if (!isHtmx(request) && !query.subdomain) throw NotFound();
        return checkSubdomain(set, String(query.subdomain ?? "").slice(0, 100));
      },
      { site: true },
    );
}
