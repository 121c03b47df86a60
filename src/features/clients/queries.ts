// Client SQL. Every query is tenant-scoped twice: it runs inside withTenant
// (RLS) and still says `where tenant_id = ${tenantId}`.
import type { TenantSql } from "../../platform/db";
import { containsPattern } from "../../platform/like";
import { CURSOR_AT_FORMAT, decodeCursor } from "../../platform/pagination";
import type { ClientRow } from "./present";
import type { CreateClientInput, ListClientsInput, UpdateClientInput } from "./schema";

const columns = (tx: TenantSql) =>
  tx`id, tenant_id, name, email, phone, company, status, notes, tags, created_at, updated_at,
     to_char(created_at at time zone 'UTC', ${CURSOR_AT_FORMAT}) as cursor_at`;

// Not async: returning the query itself lets withTenant pipeline its commit (one round trip).
export function listClients(tx: TenantSql, tenantId: string, input: ListClientsInput) {
  const after = decodeCursor(input.cursor);
  if (input.q) return searchClients(tx, tenantId, input.q, input);
  return tx<ClientRow[]>`
    select ${columns(tx)} from clients
    where tenant_id = ${tenantId}
      ${input.status ? tx`and status = ${input.status}` : tx``}
      ${after ? tx`and (created_at, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx``}
    order by created_at desc, id desc
    limit ${input.limit + 1}`;
}

/** `?q=` through app_search_client_ids (sql/0010): LIKE can use its index only outside RLS. */
function searchClients(tx: TenantSql, tenantId: string, q: string, input: ListClientsInput) {
  const after = decodeCursor(input.cursor);
  return tx<ClientRow[]>`
    select ${columns(tx)} from clients
    where tenant_id = ${tenantId}
      and id in (select id from app_search_client_ids(${containsPattern(q)}, ${input.status ?? null}::text,
                 ${after?.createdAt ?? null}::timestamptz, ${after?.id ?? null}::uuid, ${input.limit + 1}))
    order by created_at desc, id desc
    limit ${input.limit + 1}`;
}

export async function findClient(tx: TenantSql, tenantId: string, clientId: string) {
  const [row] = await tx<ClientRow[]>`select ${columns(tx)} from clients where tenant_id = ${tenantId} and id = ${clientId}`;
  return row;
}

export async function insertClient(tx: TenantSql, tenantId: string, createdBy: string | null, input: CreateClientInput) {
  const [row] = await tx<ClientRow[]>`
    insert into clients (tenant_id, name, email, phone, company, status, notes, tags, created_by)
    values (${tenantId}, ${input.name}, ${input.email ?? null}, ${input.phone ?? null}, ${input.company ?? null},
            ${input.status}, ${input.notes}, ${input.tags}::text[], ${createdBy})
    returning ${columns(tx)}`;
  return row!;
}

export async function updateClient(tx: TenantSql, tenantId: string, clientId: string, input: UpdateClientInput) {
  const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  if (Object.keys(changes).length === 0) return findClient(tx, tenantId, clientId);
  const [row] = await tx<ClientRow[]>`
    update clients set ${tx(changes)}, updated_at = now()
    where tenant_id = ${tenantId} and id = ${clientId}
    returning ${columns(tx)}`;
  return row;
}

export async function deleteClient(tx: TenantSql, tenantId: string, clientId: string) {
  const [row] = await tx<{ id: string; name: string }[]>`
    delete from clients where tenant_id = ${tenantId} and id = ${clientId} returning id, name`;
  return row;
}

export async function countClients(tx: TenantSql, tenantId: string) {
  const [row] = await tx<{ count: number }[]>`select count(*)::int as count from clients where tenant_id = ${tenantId}`;
  return row?.count ?? 0;
}

/** Names for a set of client ids (document lists show which client a file belongs to). */
export async function clientNames(tx: TenantSql, tenantId: string, clientIds: string[]) {
  if (clientIds.length === 0) return new Map<string, string>();
  const rows = await tx<{ id: string; name: string }[]>`select id, name from clients where tenant_id = ${tenantId} and id = any(${clientIds}::uuid[])`;
  return new Map(rows.map((row) => [row.id, row.name]));
}
