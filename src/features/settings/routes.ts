// GET /api/tenant, PATCH /api/tenant (SPEC §5) and the /settings page.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import type { SessionActor } from "../../identity/page-auth";
import { HttpError, NotFound } from "../../platform/errors";
import { parseForm } from "../../platform/forms";
import type { Flash } from "../../../views/components";
import type { Shell } from "../../../views/layout";
import { isHtmx, page, redirect, type HtmlSet } from "../../../views/render";
import { authorizeSettings } from "./policy";
import { presentTenantSettings } from "./present";
import { findTenantSettings } from "./queries";
import { domainForm, generalForm, updateTenantBody } from "./schema";
import { settingsService } from "./service";
import { type SettingsSection, type SettingsView, SettingsContent } from "./views";

export function settingsRoutes(deps: Deps, auth: AuthPlugin, sections: SettingsSection[] = []) {
  const { db, sessions, config } = deps;
  const settings = settingsService(deps);

  async function load(tenantId: string) {
    const tenant = await db.withTenant(tenantId, (tx) => findTenantSettings(tx, tenantId));
    if (!tenant) throw NotFound();
    return tenant;
  }

  async function render(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, extra: Partial<SettingsView> = {}) {
    const tenant = await load(actor.tenantId);
    const mfaEnabled = await db.withTenant(actor.tenantId, (tx) => deps.mfa.isEnabled(tx, actor.tenantId, actor.userId));
    const view: SettingsView = { tenant, csrfToken: shell.csrfToken, baseDomain: config.BASE_DOMAIN, viewer: { role: actor.role, mfaEnabled }, ...extra };
    const more: string[] = [];
    for (const section of sections) more.push(String(await section.render({ tenantId: actor.tenantId, csrfToken: shell.csrfToken, role: actor.role, request })));
    // A rename shows in the shell at once.
    return page(request, set, { ...shell, tenant: { ...shell.tenant, name: tenant.name }, title: "Settings", active: "settings" }, SettingsContent({ view, extra: more }));
  }

  async function done(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, flash: Flash) {
    if (isHtmx(request)) return render(request, set, actor, { ...shell, flash: [flash] });
    await sessions.setFlash(actor.session.id, flash);
    return redirect(request, set, "/settings");
  }

  /** Validation and conflicts come back as field messages on the page. */
  async function attempt(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, values: Record<string, string>, work: () => Promise<Flash>) {
    try {
      return await done(request, set, actor, shell, await work());
    } catch (error) {
      if (!(error instanceof HttpError) || ![404, 409, 422].includes(error.status)) throw error;
      const details = (error.details as { field: string; message: string }[] | undefined) ?? [];
      const errors = Object.fromEntries(details.map((detail) => [detail.field, detail.message]));
      const onField = error.status === 422 || error.code === "domain_taken";
      if (error.code === "domain_taken") errors.domain = error.message;
      set.status = isHtmx(request) ? 200 : error.status;
      return render(request, set, actor, { ...shell, flash: onField ? shell.flash : [{ kind: "error", message: error.message }] }, { errors, values });
    }
  }

  const formError = (errors: Record<string, string>) => new HttpError(422, "validation_failed", "Please check the form.", Object.entries(errors).map(([field, message]) => ({ field, message })));

  return new Elysia()
    .use(auth)
    .get(
      "/api/tenant",
      async ({ actor }) => {
        authorizeSettings(actor, "read");
        return presentTenantSettings(await load(actor.tenantId));
      },
      { auth: "member" },
    )
    .patch(
      "/api/tenant",
      async ({ actor, body, request }) => presentTenantSettings(await settings.update(actor, request, body)),
      { auth: "admin", body: updateTenantBody },
    )
    .get("/settings", ({ request, set, actor, shell }) => render(request, set, actor, shell), { page: "admin" })
    .post(
      "/settings/general",
      ({ request, set, actor, shell, body }) => {
        const form = parseForm(generalForm, body);
        const values = form.ok ? { name: form.data.name } : form.values;
        return attempt(request, set, actor, shell, values, async () => {
          if (!form.ok) throw formError(form.errors);
          await settings.update(actor, request, { name: form.data.name });
          return { kind: "success", message: "Settings saved." };
        });
      },
      { page: "admin" },
    )
    .post(
      "/settings/domain",
      ({ request, set, actor, shell, body }) => {
        const form = parseForm(domainForm, body);
        const values = form.ok ? { domain: form.data.domain } : form.values;
        return attempt(request, set, actor, shell, values, async () => {
          if (!form.ok) throw formError(form.errors);
          await settings.update(actor, request, { domain: form.data.domain });
          return { kind: "success", message: "Domain saved. Add the DNS records below, then verify." };
        });
      },
      { page: "admin" },
    )
    .post(
      "/settings/domain/verify",
      ({ request, set, actor, shell }) =>
        attempt(request, set, actor, shell, {}, async () =>
          (await settings.verifyDomain(actor, request))
            ? { kind: "success", message: "Domain verified. Your workspace now answers on it." }
            : { kind: "error", message: "The TXT record was not found yet. DNS changes can take a while; try again in a few minutes." },
        ),
      { page: "admin" },
    )
    .post(
      "/settings/two-factor",
      ({ request, set, actor, shell, body }) => {
        // Owner only (policy "security"): enforced in the service, refused with 403 here for everyone else.
        authorizeSettings(actor, "security");
        const required = (body as { require_mfa?: unknown } | undefined)?.require_mfa === "on";
        return attempt(request, set, actor, shell, {}, async () => {
          const signedOut = await settings.setRequireMfa(actor, request, required);
          if (!required) return { kind: "success", message: "Two-factor sign-in is no longer required." };
          return { kind: "success", message: `Two-factor sign-in is now required.${signedOut ? ` ${signedOut} member(s) without it were signed out.` : ""}` };
        });
      },
      { page: "admin" },
    )
    .post(
      "/settings/domain/remove",
      ({ request, set, actor, shell }) =>
        attempt(request, set, actor, shell, {}, async () => {
          await settings.update(actor, request, { domain: null });
          return { kind: "success", message: "Custom domain removed." };
        }),
      { page: "admin" },
    );
}
