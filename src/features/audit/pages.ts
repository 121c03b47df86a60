// GET /audit (admin): the audit log page.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { toPage } from "../../platform/pagination";
import { page } from "../../../views/render";
import { authorizeAuditRead } from "./policy";
import { listAuditEvents, listAuditActors } from "./queries";
import { listAuditQuery } from "./schema";
import { AuditContent } from "./views";

export function auditPages(deps: Deps, auth: AuthPlugin) {
  return new Elysia().use(auth).get(
    "/audit",
    async ({ request, set, actor, shell, query }) => {
      authorizeAuditRead(actor);
      // Empty form fields mean "no filter"; an invalid filter shows everything rather than an error page.
      const cleaned = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ""));
      const parsed = listAuditQuery.safeParse({ ...cleaned, limit: 50 });
      const input = parsed.success ? parsed.data : { limit: 50 };
      const { rows, actors } = await deps.db.withTenantRead(actor.tenantId, async (tx) => ({
        rows: await listAuditEvents(tx, actor.tenantId, input),
        actors: await listAuditActors(tx, actor.tenantId),
      }));
      const { data, nextCursor } = toPage(rows, input.limit);
      const filters = parsed.success ? { action: cleaned.action, actor_id: cleaned.actor_id, from: cleaned.from, to: cleaned.to } : {};
      return page(request, set, { ...shell, title: "Audit log", active: "audit" }, AuditContent({ view: { rows: data, nextCursor, filters, actors } }));
    },
    { page: "admin" },
  );
}
