// JSON API: GET /api/users/me, GET /api/users, PATCH/DELETE /api/users/:id (SPEC §5).
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { Forbidden, NotFound } from "../../platform/errors";
import { toPage } from "../../platform/pagination";
import { presentUser } from "../auth/present";
import { findUser } from "../auth/queries";
import { authorizeMember } from "./policy";
import { presentMember } from "./present";
import { listMembers } from "./queries";
import { listMembersQuery, memberParams, updateMemberBody } from "./schema";
import { memberService } from "./service";

export function userRoutes(deps: Deps, auth: AuthPlugin) {
  const { db } = deps;
  const members = memberService(deps);

  return new Elysia({ prefix: "/api/users" })
    .use(auth)
    .get(
      "/me",
      async ({ actor }) => {
        if (actor.kind === "api_key") throw Forbidden("An API key is not a person; there is no `me`.");
        const user = await db.withTenant(actor.tenantId, (tx) => findUser(tx, actor.tenantId, actor.userId));
        if (!user) throw NotFound();
        return presentUser(user);
      },
      { auth: "member" },
    )
    .get(
      "/",
      async ({ actor, query }) => {
        authorizeMember(actor, "list");
        const rows = await db.withTenantRead(actor.tenantId, (tx) => listMembers(tx, actor.tenantId, query));
        const page = toPage(rows, query.limit);
        return { data: page.data.map(presentMember), next_cursor: page.nextCursor };
      },
      { auth: "member", query: listMembersQuery },
    )
    .patch(
      "/:id",
      async ({ actor, params, body, request }) => {
        let member = body.role ? await members.changeRole(actor, request, params.id, body.role) : undefined;
        if (body.is_active) member = await members.setActive(actor, request, params.id, true);
        return presentMember(member!);
      },
      { auth: "admin", params: memberParams, body: updateMemberBody },
    )
    .delete(
      "/:id",
      async ({ actor, params, request, set }) => {
        await members.setActive(actor, request, params.id, false);
        set.status = 204;
      },
      { auth: "admin", params: memberParams },
    );
}
