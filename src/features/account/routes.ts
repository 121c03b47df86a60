// /account: profile, password change (ends the user's other sessions, refresh
// tokens and access tokens) and the user's own sessions.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import type { SessionActor } from "../../identity/page-auth";
import { hashPassword, verifyPassword } from "../../identity/passwords";
import { revokeAllRefreshTokens } from "../../identity/refresh-tokens";
import { HttpError, NotFound } from "../../platform/errors";
import { parseForm } from "../../platform/forms";
import type { Flash } from "../../../views/components";
import type { Shell } from "../../../views/layout";
import { isHtmx, page, redirect, type HtmlSet } from "../../../views/render";
import { auditContext, recordAudit } from "../audit/record";
import { findUser } from "../auth/queries";
import { emailChangeBody } from "../password-reset/schema";
import { createAccountRecovery } from "../password-reset/service";
import { findPasswordHash, updatePassword, updateProfile } from "../users/queries";
import { passwordForm, profileForm, sessionParams } from "./schema";
import { type AccountView, AccountContent } from "./views";

export function accountRoutes(deps: Deps, auth: AuthPlugin) {
  const { db, sessions, accessTokens } = deps;
  const recovery = createAccountRecovery(deps);

  async function render(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, extra: Partial<AccountView> = {}) {
    const { user, mfaEnabled } = await db.withTenant(actor.tenantId, async (tx) => ({
      user: await findUser(tx, actor.tenantId, actor.userId),
      mfaEnabled: await deps.mfa.isEnabled(tx, actor.tenantId, actor.userId),
    }));
    if (!user) throw NotFound();
    const view: AccountView = { profile: user, mfaEnabled, sessions: await sessions.list(actor.userId), currentSessionId: actor.session.id, csrfToken: shell.csrfToken, ...extra };
    // The shell's name follows a profile change at once.
    const name = `${user.first_name} ${user.last_name}`;
    return page(request, set, { ...shell, user: { ...shell.user, name }, title: "Your account", active: "account" }, AccountContent({ view }));
  }

  async function done(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, flash: Flash) {
    if (isHtmx(request)) return render(request, set, actor, { ...shell, flash: [flash] });
    await sessions.setFlash(actor.session.id, flash);
    return redirect(request, set, "/account");
  }

  const invalid = (request: Request, set: HtmlSet) => {
    set.status = isHtmx(request) ? 200 : 422;
  };

  return new Elysia({ prefix: "/account" })
    .use(auth)
    .get("/", ({ request, set, actor, shell }) => render(request, set, actor, shell), { page: "member" })
    .post(
      "/profile",
      async ({ request, set, actor, shell, body }) => {
        const form = parseForm(profileForm, body);
        if (!form.ok) {
          invalid(request, set);
          return render(request, set, actor, shell, { profileErrors: form.errors });
        }
        await db.withTenant(actor.tenantId, async (tx) => {
          await updateProfile(tx, actor.tenantId, actor.userId, form.data);
          await recordAudit(tx, actor.tenantId, auditContext(request, { type: "user", id: actor.userId, label: actor.email }), { action: "users.update", target: { type: "user", id: actor.userId } });
        });
        return done(request, set, actor, shell, { kind: "success", message: "Profile saved." });
      },
      { page: "member" },
    )
    .post(
      "/password",
      async ({ request, set, actor, shell, body }) => {
        const form = parseForm(passwordForm, body);
        if (!form.ok) {
          invalid(request, set);
          return render(request, set, actor, shell, { passwordErrors: form.errors });
        }
        const currentHash = await db.withTenant(actor.tenantId, (tx) => findPasswordHash(tx, actor.tenantId, actor.userId));
        if (!(await verifyPassword(form.data.current_password, currentHash))) {
          invalid(request, set);
          return render(request, set, actor, shell, { passwordErrors: { current_password: "is not your current password" } });
        }
        const newHash = await hashPassword(form.data.new_password);
        await db.withTenant(actor.tenantId, async (tx) => {
          // tokens_valid_after = now() kills every access token issued so far.
          await updatePassword(tx, actor.tenantId, actor.userId, newHash);
          await revokeAllRefreshTokens(tx, actor.tenantId, actor.userId);
          await recordAudit(tx, actor.tenantId, auditContext(request, { type: "user", id: actor.userId, label: actor.email }), { action: "users.password_change", target: { type: "user", id: actor.userId } });
        });
        await accessTokens.forgetUser(actor.userId);
        const ended = await sessions.endAllForUser(actor.userId, actor.session.id);
        return done(request, set, actor, shell, { kind: "success", message: ended ? `Password changed. ${ended} other session(s) were signed out.` : "Password changed." });
      },
      { page: "member" },
    )
    .post(
      "/email",
      async ({ request, set, actor, shell, body }) => {
        // The very service behind POST /api/users/me/email: current password, then a link to the new address.
        const form = parseForm(emailChangeBody.strip(), body);
        if (!form.ok) {
          invalid(request, set);
          return render(request, set, actor, shell, { emailErrors: form.errors, emailValue: form.values.new_email });
        }
        try {
          await recovery.requestEmailChange({ id: actor.userId, tenant_id: actor.tenantId }, form.data, request);
        } catch (error) {
          if (!(error instanceof HttpError) || error.status !== 401) throw error;
          invalid(request, set);
          return render(request, set, actor, shell, { emailErrors: { password: "is not your current password" }, emailValue: form.data.new_email });
        }
        return done(request, set, actor, shell, { kind: "info", message: `We sent a confirmation link to ${form.data.new_email}. Your email changes when you open it.` });
      },
      { page: "member" },
    )
    .post(
      "/sessions/:id/end",
      async ({ request, set, actor, shell, params }) => {
        // Only the user's own sessions: the id is looked up in their own index.
        const mine = (await sessions.list(actor.userId)).some((session) => session.id === params.id);
        if (!mine) throw NotFound("No such session.");
        await sessions.end(params.id, actor.userId);
        return done(request, set, actor, shell, { kind: "success", message: "That session was signed out." });
      },
      { page: "member", params: sessionParams },
    )
    .post(
      "/sessions/end-others",
      async ({ request, set, actor, shell }) => {
        const ended = await sessions.endAllForUser(actor.userId, actor.session.id);
        return done(request, set, actor, shell, { kind: "success", message: `${ended} other session(s) signed out.` });
      },
      { page: "member" },
    );
}
