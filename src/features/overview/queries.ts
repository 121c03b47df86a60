import type { TenantSql } from "../../platform/db";

export type OverviewCounts = { members: number; open_invitations: number; clients: number; active_clients: number; documents: number; storage_bytes: number };

export async function overviewCounts(tx: TenantSql, tenantId: string) {
  const [row] = await tx<OverviewCounts[]>`
    select
      (select count(*)::int from users where tenant_id = ${tenantId} and is_active) as members,
      (select count(*)::int from invitations where tenant_id = ${tenantId} and accepted_at is null and revoked_at is null and expires_at > now()) as open_invitations,
      (select count(*)::int from clients where tenant_id = ${tenantId}) as clients,
      (select count(*)::int from clients where tenant_id = ${tenantId} and status = 'active') as active_clients,
      (select count(*)::int from documents where tenant_id = ${tenantId}) as documents,
      (select coalesce(sum(size), 0)::float8 from documents where tenant_id = ${tenantId}) as storage_bytes`;
  return row!;
}

export type ActivityRow = { id: string; action: string; actor_label: string | null; target_type: string | null; created_at: Date };

export async function recentActivity(tx: TenantSql, tenantId: string, limit = 8) {
  return tx<ActivityRow[]>`
    select id, action, actor_label, target_type, created_at from audit_log
    where tenant_id = ${tenantId} order by created_at desc, id desc limit ${limit}`;
}

/** Audit events per day for the last 14 days (the overview's small chart). */
export async function dailyActivity(tx: TenantSql, tenantId: string) {
  return tx<{ day: string; events: number }[]>`
    select to_char(day, 'YYYY-MM-DD') as day, coalesce(count(a.id), 0)::int as events
    from generate_series((now() at time zone 'UTC')::date - 13, (now() at time zone 'UTC')::date, interval '1 day') as day
    left join audit_log a on a.tenant_id = ${tenantId} and (a.created_at at time zone 'UTC')::date = day
    group by day order by day`;
}
