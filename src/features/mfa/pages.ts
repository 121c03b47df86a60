// /account/two-factor: the dashboard side of identity/mfa.ts, with the same
// rules as the API in ./routes.ts (a first code confirms, turning it off needs
// password and code again).
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import type { SessionActor } from "../../identity/page-auth";
import type { TenantSql } from "../../platform/db";
import type { Flash } from "../../../views/components";
import type { Shell } from "../../../views/layout";
import { isHtmx, page, redirect, type HtmlSet } from "../../../views/render";
import { mfaService } from "./service";
import { type TwoFactorView, TwoFactorContent } from "./page-views";

const field = (body: unknown, name: string) => {
  const value = body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === "string" ? value.slice(0, 256) : "";
};

export function twoFactorPages(deps: Deps, auth: AuthPlugin) {
  const { db, mfa, sessions } = deps;
  const twoFactor = mfaService(deps);
  const userOf = (actor: SessionActor) => ({ id: actor.userId, tenant_id: actor.tenantId, email: actor.email });

  async function requiredByAgency(tx: TenantSql, tenantId: string) {
    const [row] = await tx<{ require_mfa: boolean }[]>`select require_mfa from tenants where id = ${tenantId}`;
    return Boolean(row?.require_mfa);
  }

  async function render(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, extra: Partial<TwoFactorView> = {}) {
    const state = await db.withTenant(actor.tenantId, async (tx) => ({
      enabled: await mfa.isEnabled(tx, actor.tenantId, actor.userId),
      requiredByAgency: await requiredByAgency(tx, actor.tenantId),
    }));
    const view: TwoFactorView = { csrfToken: shell.csrfToken, ...state, ...extra };
    return page(request, set, { ...shell, title: "Two-factor sign-in", active: "account" }, TwoFactorContent({ view }));
  }

  async function done(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, flash: Flash) {
    if (isHtmx(request)) return render(request, set, actor, { ...shell, flash: [flash] });
    await sessions.setFlash(actor.session.id, flash);
    return redirect(request, set, "/account/two-factor");
  }

  const refused = (request: Request, set: HtmlSet, status: number) => {
    set.status = isHtmx(request) ? 200 : status;
  };

  return new Elysia({ prefix: "/account/two-factor" })
    .use(auth)
    .get("/", ({ request, set, actor, shell }) => render(request, set, actor, shell), { page: "member" })
    .post(
      "/enrol",
      async ({ request, set, actor, shell }) => {
        const enrolment = await db.withTenant(actor.tenantId, (tx) => mfa.beginEnrolment(tx, userOf(actor)));
        if (!enrolment) return done(request, set, actor, shell, { kind: "info", message: "Two-factor sign-in is already on." });
        return render(request, set, actor, shell, { enrolment });
      },
      { page: "member" },
    )
    .post(
      "/confirm",
      async ({ request, set, actor, shell, body }) => {
        const codes = await twoFactor.confirm(actor, request, field(body, "code").trim());
        if (codes) {
          const flash: Flash = { kind: "success", message: "Two-factor sign-in is on." };
          return render(request, set, actor, { ...shell, flash: [flash] }, { recoveryCodes: codes });
        }
        // Same QR code again: a mistyped code must not make the user scan a new one.
        const enrolment = await db.withTenant(actor.tenantId, (tx) => mfa.pendingEnrolment(tx, userOf(actor)));
        if (!enrolment) return done(request, set, actor, shell, { kind: "error", message: "Start the set-up again." });
        refused(request, set, 422);
        return render(request, set, actor, shell, { enrolment, errors: { code: "is not valid; check that your phone's clock is right and try again" } });
      },
      { page: "member" },
    )
    .post(
      "/disable",
      async ({ request, set, actor, shell, body }) => {
        const turnedOff = await twoFactor.disable(actor, request, { password: field(body, "password"), code: field(body, "code") });
        if (!turnedOff) {
          refused(request, set, 401);
          return render(request, set, actor, shell, { errors: { code: "The password or code is incorrect." } });
        }
        return done(request, set, actor, shell, { kind: "success", message: "Two-factor sign-in is off." });
      },
      { page: "member" },
    );
}
