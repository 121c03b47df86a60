// JSON API: POST/GET /api/invitations, DELETE /api/invitations/:id,
// POST /api/auth/accept-invitation (SPEC §5), and the acceptance page
// GET/POST /invite/:token on the tenant host.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { digest } from "../../identity/secrets";
import { assertSameOrigin } from "../../identity/page-auth";
import { HttpError, NotFound } from "../../platform/errors";
import { parseForm } from "../../platform/forms";
import { requestMeta } from "../../platform/http";
import { html, type HtmlSet } from "../../../views/render";
import { toPage } from "../../platform/pagination";
import { presentUser } from "../auth/present";
import { presentTokenPair } from "../auth/present";
import { createAuthService } from "../auth/service";
import { authorizeInvitation } from "./policy";
import { presentInvitation } from "./present";
import { listOpenInvitations, tenantOfInvitation } from "./queries";
import { acceptInvitationBody, acceptInvitationForm, createInvitationBody, invitationParams, invitationTokenParams, listInvitationsQuery } from "./schema";
import { idempotency } from "../../platform/idempotency";
import { invitationService } from "./service";
import { AcceptInvitationPage, InvalidInvitationPage } from "./views";

export function invitationRoutes(deps: Deps, auth: AuthPlugin) {
  const { db } = deps;
  const invitations = invitationService(deps);
  const authService = createAuthService(deps);

  const validToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

  async function acceptPage(request: Request, set: HtmlSet, tenant: { id: string; name: string }, token: string, body?: unknown) {
    const invitation = validToken(token) ? await invitations.find(tenant.id, token) : undefined;
    if (!invitation) return html(set, InvalidInvitationPage({ tenantName: tenant.name }), { status: 404 });
    const show = (values?: Record<string, string>, errors?: Record<string, string>, status = 200) =>
      html(set, AcceptInvitationPage({ tenantName: tenant.name, email: invitation.email, role: invitation.role, token, values, errors }), { status });
    if (body === undefined) return show();
    assertSameOrigin(request);
    const form = parseForm(acceptInvitationForm, body);
    if (!form.ok) return show(form.values, form.errors, 422);
    let user;
    try {
      user = await invitations.accept(tenant.id, token, form.data, request);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return html(set, InvalidInvitationPage({ tenantName: tenant.name }), { status: 404 });
      if (error instanceof HttpError && error.status === 409) return show({ first_name: form.data.first_name, last_name: form.data.last_name }, { first_name: error.message }, 409);
      throw error;
    }
    const { token: sessionToken, session } = await deps.sessions.create(user, { ip: requestMeta(request).ip, userAgent: request.headers.get("user-agent") });
    await deps.sessions.setFlash(session.id, { kind: "success", message: `Welcome to ${tenant.name}, ${user.first_name}!` });
    set.headers["set-cookie"] = deps.sessions.cookie(sessionToken);
    set.status = 303;
    set.headers["location"] = "/";
    return "";
  }

  return new Elysia()
    .use(auth)
    .use(idempotency(deps.redis))
    .get(
      "/invite/:token",
      ({ request, set, site, params }) => {
        if (site.kind !== "tenant") throw NotFound();
        return acceptPage(request, set, site.tenant, params.token);
      },
      { site: true, params: invitationTokenParams },
    )
    .post(
      "/invite/:token",
      ({ request, set, site, params, body }) => {
        if (site.kind !== "tenant") throw NotFound();
        return acceptPage(request, set, site.tenant, params.token, body ?? {});
      },
      { site: true, params: invitationTokenParams },
    )
    .post(
      "/api/invitations",
      async ({ actor, body, request, set }) => {
        const { invitation, link } = await invitations.create(actor, request, body);
        set.status = 201;
        return { ...presentInvitation(invitation), link };
      },
      { auth: "admin", idempotent: true, body: createInvitationBody },
    )
    .get(
      "/api/invitations",
      async ({ actor, query }) => {
        authorizeInvitation(actor, "list");
        const rows = await db.withTenantRead(actor.tenantId, (tx) => listOpenInvitations(tx, actor.tenantId, query));
        const page = toPage(rows, query.limit);
        return { data: page.data.map(presentInvitation), next_cursor: page.nextCursor };
      },
      { auth: "admin", query: listInvitationsQuery },
    )
    .delete(
      "/api/invitations/:id",
      async ({ actor, params, request, set }) => {
        await invitations.revoke(actor, request, params.id);
        set.status = 204;
      },
      { auth: "admin", params: invitationParams },
    )
    .post(
      "/api/auth/accept-invitation",
      async ({ body, site, request, set }) => {
        const tenantId = await tenantOfInvitation(db.sql, digest(body.token));
        // On a tenant host, another tenant's invitation is as good as none.
        if (!tenantId || (site.kind === "tenant" && site.tenant.id !== tenantId)) throw NotFound("This invitation is invalid, expired or already used.");
        const user = await invitations.accept(tenantId, body.token, body, request);
        const pair = await db.withTenant(tenantId, (tx) => authService.issuePair(tx, user));
        set.status = 201;
        return { user: presentUser(user), ...presentTokenPair(pair) };
      },
      { site: true, body: acceptInvitationBody },
    );
}
