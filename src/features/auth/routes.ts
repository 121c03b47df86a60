// POST /api/auth/signup, /login, /refresh, /logout (SPEC §5).
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { revokeRefreshFamily, rotateRefreshToken } from "../../identity/refresh-tokens";
import { HttpError, Unauthorized } from "../../platform/errors";
import { auditContext, recordAudit } from "../audit/record";
import { presentTenant, presentTokenPair, presentUser } from "./present";
import { loginBody, refreshBody, signupBody } from "./schema";
import { createAuthService } from "./service";

export function authRoutes(deps: Deps, auth: AuthPlugin) {
  const service = createAuthService(deps);
  const { db, accessTokens, config } = deps;

  return new Elysia({ prefix: "/api/auth" })
    .use(auth)
    .post(
      "/signup",
      async ({ body, request, set }) => {
        const { tenant, user, pair } = await service.signUp(body, request);
        set.status = 201;
        return { tenant: presentTenant(tenant), user: presentUser(user), ...presentTokenPair(pair) };
      },
      { body: signupBody, site: true },
    )
    .post(
      "/login",
      async ({ body, request, site }) => {
        const user = await service.authenticate(body, site, request);
        switch (await service.secondFactor(user)) {
          case "challenge":
            return { mfa_required: true, challenge: await deps.mfa.createChallenge(user) };
          case "enrolment_required":
            throw new HttpError(403, "mfa_enrolment_required", "Your agency requires two-factor sign-in: sign in to the dashboard once to set it up.");
        }
        const pair = await service.completeLogin(user, request, (tx) => service.issuePair(tx, user));
        return { user: presentUser(user), ...presentTokenPair(pair) };
      },
      { body: loginBody, site: true },
    )
    .post(
      "/refresh",
      async ({ body, site }) => {
        const rotated = await rotateRefreshToken(
          { sql: db.sql, withTenant: db.withTenant, ttlDays: config.REFRESH_TOKEN_TTL_DAYS },
          body.refresh_token,
          site.kind === "tenant" ? site.tenant.id : undefined,
        );
        if (!rotated) throw Unauthorized("The refresh token is invalid, expired or already used.");
        const accessToken = await accessTokens.sign(rotated.user);
        return presentTokenPair({ accessToken, refreshToken: rotated.refreshToken, expiresIn: accessTokens.ttlSeconds });
      },
      { body: refreshBody, site: true },
    )
    .post(
      "/logout",
      async ({ body, actor: caller, request, set }) => {
        // Only a bearer access token can be logged out here: an API key has none,
        // and a dashboard session signs out at POST /logout.
        if (caller.kind !== "user") throw new HttpError(403, "bearer_required", "Log out with the access token itself; the dashboard signs out at POST /logout.");
        const actor = caller;
        await db.withTenant(actor.tenantId, async (tx) => {
          await revokeRefreshFamily(tx, actor.tenantId, actor.userId, body.refresh_token);
          await accessTokens.revoke(tx, actor.token);
          const who = { type: "user" as const, id: actor.userId, label: actor.email };
          await recordAudit(tx, actor.tenantId, auditContext(request, who), { action: "auth.logout", target: { type: "user", id: actor.userId } });
        });
        await accessTokens.mirrorRevocation(actor.token);
        set.status = 204;
      },
      { body: refreshBody, auth: "member" },
    );
}
