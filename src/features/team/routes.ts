// /team and its actions. Each action is authorized by the same services as the
// JSON API (users/service, invitations/service); htmx gets the refreshed
// fragment, a plain form post a redirect back with a flash message.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import type { SessionActor } from "../../identity/page-auth";
import { hasRole } from "../../identity/roles";
import { HttpError } from "../../platform/errors";
import { parseForm } from "../../platform/forms";
import type { Flash } from "../../../views/components";
import type { Shell } from "../../../views/layout";
import { isHtmx, page, redirect, type HtmlSet } from "../../../views/render";
import { listOpenInvitations } from "../invitations/queries";
import { createInvitationBody, invitationParams } from "../invitations/schema";
import { invitationService } from "../invitations/service";
import { listMembers } from "../users/queries";
import { memberParams, roleForm } from "../users/schema";
import { memberService } from "../users/service";
import { type TeamView, TeamContent } from "./views";

export function teamRoutes(deps: Deps, auth: AuthPlugin) {
  const { db, sessions } = deps;
  const members = memberService(deps);
  const invitations = invitationService(deps);

  async function render(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, extra: Partial<TeamView> = {}) {
    const canManage = hasRole(actor.role, "admin");
    const { rows, open } = await db.withTenantRead(actor.tenantId, async (tx) => ({
      rows: await listMembers(tx, actor.tenantId, { limit: 100 }),
      open: canManage ? await listOpenInvitations(tx, actor.tenantId, { limit: 100 }) : [],
    }));
    const view: TeamView = { members: rows.slice(0, 100), invitations: open.slice(0, 100), viewer: { id: actor.userId, role: actor.role }, csrfToken: shell.csrfToken, canManage, ...extra };
    return page(request, set, { ...shell, title: "Team", active: "team" }, TeamContent({ view }));
  }

  /** After an action: the fragment with a flash for htmx, or redirect-after-post. */
  async function done(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, flash: Flash, extra: Partial<TeamView> = {}) {
    if (isHtmx(request) || extra.newLink) return render(request, set, actor, { ...shell, flash: [flash] }, extra);
    await sessions.setFlash(actor.session.id, flash);
    return redirect(request, set, "/team");
  }

  /** A refused action (owner protection, own account) is a message, not an error page. */
  async function attempt(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, work: () => Promise<Flash>) {
    try {
      return await done(request, set, actor, shell, await work());
    } catch (error) {
      if (!(error instanceof HttpError) || ![403, 404, 409].includes(error.status)) throw error;
      set.status = isHtmx(request) ? 200 : error.status;
      return render(request, set, actor, { ...shell, flash: [{ kind: "error", message: error.message }] });
    }
  }

  return new Elysia({ prefix: "/team" })
    .use(auth)
    .get("/", ({ request, set, actor, shell }) => render(request, set, actor, shell), { page: "member" })
    .post(
      "/invitations",
      async ({ request, set, actor, shell, body }) => {
        const form = parseForm(createInvitationBody.strip(), body);
        if (!form.ok) {
          set.status = isHtmx(request) ? 200 : 422;
          return render(request, set, actor, shell, { inviteErrors: form.errors, inviteValues: form.values });
        }
        try {
          const { invitation, link } = await invitations.create(actor, request, form.data);
          return done(request, set, actor, shell, { kind: "success", message: `Invitation sent to ${invitation.email}.` }, { newLink: { email: invitation.email, link } });
        } catch (error) {
          if (!(error instanceof HttpError) || error.status !== 409) throw error;
          set.status = isHtmx(request) ? 200 : 409;
          return render(request, set, actor, shell, { inviteErrors: { email: error.message }, inviteValues: form.data });
        }
      },
      { page: "admin" },
    )
    .post(
      "/invitations/:id/revoke",
      ({ request, set, actor, shell, params }) =>
        attempt(request, set, actor, shell, async () => {
          await invitations.revoke(actor, request, params.id);
          return { kind: "success", message: "Invitation revoked." };
        }),
      { page: "admin", params: invitationParams },
    )
    .post(
      "/members/:id/role",
      ({ request, set, actor, shell, params, body }) =>
        attempt(request, set, actor, shell, async () => {
          const form = parseForm(roleForm, body);
          if (!form.ok) throw new HttpError(403, "invalid_role", "Choose Member or Admin.");
          const member = await members.changeRole(actor, request, params.id, form.data.role);
          return { kind: "success", message: `${member.first_name} ${member.last_name} is now ${form.data.role === "admin" ? "an admin" : "a member"}.` };
        }),
      { page: "admin", params: memberParams },
    )
    .post(
      "/members/:id/deactivate",
      ({ request, set, actor, shell, params }) =>
        attempt(request, set, actor, shell, async () => {
          const member = await members.setActive(actor, request, params.id, false);
          return { kind: "success", message: `${member.first_name} ${member.last_name} was deactivated and signed out.` };
        }),
      { page: "admin", params: memberParams },
    )
    .post(
      "/members/:id/sessions/end",
      ({ request, set, actor, shell, params }) =>
        attempt(request, set, actor, shell, async () => {
          const { member } = await members.endSessions(actor, request, params.id);
          return { kind: "success", message: `${member.first_name} ${member.last_name} was signed out everywhere.` };
        }),
      { page: "admin", params: memberParams },
    )
    .post(
      "/members/:id/activate",
      ({ request, set, actor, shell, params }) =>
        attempt(request, set, actor, shell, async () => {
          const member = await members.setActive(actor, request, params.id, true);
          return { kind: "success", message: `${member.first_name} ${member.last_name} was reactivated.` };
        }),
      { page: "admin", params: memberParams },
    );
}
