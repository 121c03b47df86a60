// GET /api/users/me.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { NotFound } from "../../platform/errors";
import { presentUser } from "../auth/present";
import { findUser } from "../auth/queries";

export function userRoutes(deps: Deps, auth: AuthPlugin) {
  return new Elysia({ prefix: "/api/users" }).use(auth).get(
    "/me",
    async ({ actor }) => {
      const user = await deps.db.withTenant(actor.tenantId, (tx) => findUser(tx, actor.tenantId, actor.userId));
      if (!user) throw NotFound();
      return presentUser(user);
    },
    { auth: "member" },
  );
}
