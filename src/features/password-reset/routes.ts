// POST /api/auth/password/forgot · /reset, POST /api/users/me/email · /confirm.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import { requireUser, type AuthPlugin } from "../../identity/auth";
import { emailChangeBody, emailConfirmBody, forgotBody, resetBody } from "./schema";
import { createAccountRecovery } from "./service";

export function passwordResetRoutes(deps: Deps, auth: AuthPlugin) {
  const recovery = createAccountRecovery(deps);
  return new Elysia()
    .use(auth)
    .post(
      "/api/auth/password/forgot",
      async ({ body, request, set }) => {
        await recovery.requestReset(body.email, request);
        set.status = 202;
        return { message: "If an account exists for that email, a reset link is on its way." };
      },
      { body: forgotBody, site: true },
    )
    .post(
      "/api/auth/password/reset",
      async ({ body, request, set }) => {
        await recovery.reset(body.token, body.password, request);
        set.status = 204;
      },
      { body: resetBody, site: true },
    )
    .post(
      "/api/users/me/email",
      async ({ actor: caller, body, request, set }) => {
        const actor = requireUser(caller);
        await recovery.requestEmailChange({ id: actor.userId, tenant_id: actor.tenantId }, body, request);
        set.status = 202;
        return { message: "Check the new address for a confirmation link." };
      },
      { auth: "member", body: emailChangeBody },
    )
    .post(
      "/api/users/me/email/confirm",
      async ({ body, request, set }) => {
        await recovery.confirmEmailChange(body.token, request);
        set.status = 204;
      },
      { body: emailConfirmBody, site: true },
    );
}
