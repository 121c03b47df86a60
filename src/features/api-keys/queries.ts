// API key SQL, tenant-scoped twice (withTenant for RLS, and `where tenant_id`).
import type { TenantSql } from "../../platform/db";
import { CURSOR_AT_FORMAT, decodeCursor } from "../../platform/pagination";
import type { ApiKeyRow } from "./present";
import type { CreateApiKeyInput } from "./schema";

const columns = (tx: TenantSql) =>
  tx`id, name, role, prefix, created_at, expires_at, last_used_at,
     to_char(created_at at time zone 'UTC', ${CURSOR_AT_FORMAT}) as cursor_at`;

/** Live keys (revoked ones are gone for good; the audit log keeps their story). */
export async function listApiKeys(tx: TenantSql, tenantId: string, page: { limit: number; cursor?: string }) {
  const after = decodeCursor(page.cursor);
  return tx<ApiKeyRow[]>`
    select ${columns(tx)} from api_keys
    where tenant_id = ${tenantId} and revoked_at is null
      ${after ? tx`and (created_at, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx``}
    order by created_at desc, id desc
    limit ${page.limit + 1}`;
}

export async function insertApiKey(
  tx: TenantSql,
  tenantId: string,
  key: { hash: Buffer; prefix: string; createdBy: string },
  input: CreateApiKeyInput,
) {
  const [row] = await tx<ApiKeyRow[]>`
    insert into api_keys (tenant_id, name, role, prefix, key_hash, created_by, expires_at)
    values (${tenantId}, ${input.name}, ${input.role}, ${key.prefix}, ${key.hash}, ${key.createdBy}, ${input.expires_at ?? null})
    returning ${columns(tx)}`;
  return row!;
}

/** Revokes a live key; returns its digest (to drop the cached copy) or undefined. */
export async function revokeApiKey(tx: TenantSql, tenantId: string, keyId: string) {
  const [row] = await tx<{ id: string; name: string; key_hash: Buffer }[]>`
    update api_keys set revoked_at = now(), updated_at = now()
    where tenant_id = ${tenantId} and id = ${keyId} and revoked_at is null
    returning id, name, key_hash`;
  return row;
}
