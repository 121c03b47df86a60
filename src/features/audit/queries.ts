// Audit log reads. Each filter lines up with an index from 0002_audit_log.sql:
// (tenant_id, created_at), (tenant_id, action, created_at), (tenant_id, actor_id, created_at).
import type { TenantSql } from "../../platform/db";
import { CURSOR_AT_FORMAT, decodeCursor } from "../../platform/pagination";
import { prefixPattern } from "../../platform/like";
import type { AuditRow } from "./present";
import type { ListAuditInput } from "./schema";

export async function listAuditEvents(tx: TenantSql, tenantId: string, input: ListAuditInput) {
  const after = decodeCursor(input.cursor);
  const action = input.action
    ? input.action.includes(".")
      ? tx`and action = ${input.action}`
      : tx`and action like ${prefixPattern(`${input.action}.`)}`
    : tx``;
  return tx<AuditRow[]>`
    select id, actor_type, actor_id, actor_label, action, target_type, target_id, ip, user_agent, request_id, details, created_at,
      to_char(created_at at time zone 'UTC', ${CURSOR_AT_FORMAT}) as cursor_at
    from audit_log
    where tenant_id = ${tenantId}
      ${action}
      ${input.actor_id ? tx`and actor_id = ${input.actor_id}` : tx``}
      ${input.from ? tx`and created_at >= ${input.from}` : tx``}
      ${input.to ? tx`and created_at < ${input.to}` : tx``}
      ${after ? tx`and (created_at, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx``}
    order by created_at desc, id desc
    limit ${input.limit + 1}`;
}

/** The newest events, for the overview's "recent activity". */
export async function recentAuditEvents(tx: TenantSql, tenantId: string, limit = 8) {
  return (await listAuditEvents(tx, tenantId, { limit })).slice(0, limit);
}

/** The tenant's people, for the audit page's "who" filter. */
export async function listAuditActors(tx: TenantSql, tenantId: string) {
  return tx<{ id: string; email: string }[]>`select id, email from users where tenant_id = ${tenantId} order by email limit 500`;
}
