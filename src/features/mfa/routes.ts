// Two-factor sign-in over the API: the challenge answer, and enrolment for the caller.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import { requireUser, type AuthPlugin } from "../../identity/auth";
import { verifyPassword } from "../../identity/passwords";
import { BadRequest, Conflict, Unauthorized } from "../../platform/errors";
import { auditContext, recordAudit } from "../audit/record";
import { presentTokenPair, presentUser } from "../auth/present";
import { findUser } from "../auth/queries";
import { createAuthService } from "../auth/service";
import { mfaAnswerBody, mfaConfirmBody, mfaDisableBody } from "./schema";

export function mfaRoutes(deps: Deps, auth: AuthPlugin) {
  const { db, mfa } = deps;
  const service = createAuthService(deps);
  const asUser = (actor: { userId: string; email: string }) => ({ type: "user" as const, id: actor.userId, label: actor.email });

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
        const codes = await db.withTenant(actor.tenantId, async (tx) => {
          const recovery = await mfa.confirmEnrolment(tx, actor.tenantId, actor.userId, body.code);
          if (recovery) await recordAudit(tx, actor.tenantId, auditContext(request, asUser(actor)), { action: "mfa.enable", target: { type: "user", id: actor.userId } });
          return recovery;
        });
        if (!codes) throw BadRequest("invalid_code", "The code is not valid; check your authenticator's clock and try again.");
        return { recovery_codes: codes };
      },
      { auth: "member", body: mfaConfirmBody },
    )
    .delete(
      "/api/users/me/mfa",
      async ({ actor: caller, body, request, set }) => {
        const actor = requireUser(caller);
        await db.withTenant(actor.tenantId, async (tx) => {
          const [row] = await tx<{ password_hash: string }[]>`select password_hash from users where tenant_id = ${actor.tenantId} and id = ${actor.userId}`;
          const passwordOk = await verifyPassword(body.password, row?.password_hash);
          if (!passwordOk || !(await mfa.verifyCode(tx, actor.tenantId, actor.userId, body.code))) {
            throw Unauthorized("The password or code is incorrect.");
          }
          await mfa.disable(tx, actor.tenantId, actor.userId);
          await recordAudit(tx, actor.tenantId, auditContext(request, asUser(actor)), { action: "mfa.disable", target: { type: "user", id: actor.userId } });
        });
        set.status = 204;
      },
      { auth: "member", body: mfaDisableBody },
    );
}
