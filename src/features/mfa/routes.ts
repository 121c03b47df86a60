// Two-factor sign-in over the API: the challenge answer, and enrolment for the caller.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import { requireUser, type AuthPlugin } from "../../identity/auth";
import { BadRequest, Conflict, Unauthorized } from "../../platform/errors";
import { presentTokenPair, presentUser } from "../auth/present";
import { findUser } from "../auth/queries";
import { createAuthService } from "../auth/service";
import { mfaAnswerBody, mfaConfirmBody, mfaDisableBody } from "./schema";
import { mfaService } from "./service";

export function mfaRoutes(deps: Deps, auth: AuthPlugin) {
  const { db, mfa } = deps;
  const service = createAuthService(deps);
  const twoFactor = mfaService(deps);

  return new Elysia()
    .use(auth)
    .post(
      "/api/auth/mfa",
      async ({ body, site, request }) => {
        const record = await mfa.answerChallenge(body.challenge, body.code);
        if (site.kind === "tenant" && site.tenant.id !== record.tenant_id) throw Unauthorized("This sign-in belongs to another workspace.");
        const user = await db.withTenant(record.tenant_id, (tx) => findUser(tx, record.tenant_id, record.user_id));
        if (!user) throw Unauthorized();
        const pair = await service.completeLogin(user, request, (tx) => service.issuePair(tx, user));
        return { user: presentUser(user), ...presentTokenPair(pair) };
      },
      { body: mfaAnswerBody, site: true },
    )
    .get(
      "/api/users/me/mfa",
      ({ actor: caller }) => {
        const actor = requireUser(caller);
        return db.withTenant(actor.tenantId, async (tx) => ({ enabled: await mfa.isEnabled(tx, actor.tenantId, actor.userId) }));
      },
      { auth: "member" },
    )
    .post(
      "/api/users/me/mfa",
      async ({ actor: caller }) => {
        const actor = requireUser(caller);
        const user = { id: actor.userId, tenant_id: actor.tenantId, email: actor.email };
        const enrolment = await db.withTenant(actor.tenantId, (tx) => mfa.beginEnrolment(tx, user));
        if (!enrolment) throw Conflict("mfa_already_enabled", "Two-factor sign-in is already on; turn it off first to re-enrol.");
        return { secret: enrolment.secret, otpauth_uri: enrolment.uri, qr_svg: enrolment.qrSvg };
      },
      { auth: "member" },
    )
    .post(
      "/api/users/me/mfa/confirm",
      async ({ actor: caller, body, request }) => {
        const actor = requireUser(caller);
        const codes = await twoFactor.confirm(actor, request, body.code);
        if (!codes) throw BadRequest("invalid_code", "The code is not valid; check your authenticator's clock and try again.");
        return { recovery_codes: codes };
      },
      { auth: "member", body: mfaConfirmBody },
    )
    .delete(
      "/api/users/me/mfa",
      async ({ actor: caller, body, request, set }) => {
        const actor = requireUser(caller);
        if (!(await twoFactor.disable(actor, request, body))) throw Unauthorized("The password or code is incorrect.");
        set.status = 204;
      },
      { auth: "member", body: mfaDisableBody },
    );
}
