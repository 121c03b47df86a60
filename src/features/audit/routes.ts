// GET /api/audit-log (admin): the tenant's audit events, newest first.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { toPage } from "../../platform/pagination";
import { authorizeAuditRead } from "./policy";
import { presentAuditEvent } from "./present";
import { listAuditEvents } from "./queries";
import { listAuditQuery } from "./schema";

export function auditRoutes(deps: Deps, auth: AuthPlugin) {
  return new Elysia({ prefix: "/api/audit-log" }).use(auth).get(
    "/",
    async ({ actor, query }) => {
      authorizeAuditRead(actor);
      const rows = await deps.db.withTenantRead(actor.tenantId, (tx) => listAuditEvents(tx, actor.tenantId, query));
      const page = toPage(rows, query.limit);
      return { data: page.data.map(presentAuditEvent), next_cursor: page.nextCursor };
    },
    { auth: "admin", query: listAuditQuery },
  );
}
