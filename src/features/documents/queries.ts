// Document SQL, tenant-scoped twice (withTenant for RLS, and `where tenant_id`).
import type { TenantSql } from "../../platform/db";
import { CURSOR_AT_FORMAT, decodeCursor } from "../../platform/pagination";
import type { DocumentRow } from "./present";
import type { ListDocumentsInput } from "./schema";

const columns = (tx: TenantSql) =>
  tx`id, tenant_id, client_id, filename, content_type, size, sha256, storage_key, uploaded_by, created_at,
     to_char(created_at at time zone 'UTC', ${CURSOR_AT_FORMAT}) as cursor_at`;

export async function listDocuments(tx: TenantSql, tenantId: string, input: ListDocumentsInput) {
  const after = decodeCursor(input.cursor);
  return tx<DocumentRow[]>`
    select ${columns(tx)} from documents
    where tenant_id = ${tenantId}
      ${input.client_id ? tx`and client_id = ${input.client_id}` : tx``}
      ${after ? tx`and (created_at, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx``}
    order by created_at desc, id desc
    limit ${input.limit + 1}`;
}

export async function findDocument(tx: TenantSql, tenantId: string, documentId: string) {
  const [row] = await tx<DocumentRow[]>`select ${columns(tx)} from documents where tenant_id = ${tenantId} and id = ${documentId}`;
  return row;
}

export async function insertDocument(
  tx: TenantSql,
  tenantId: string,
  document: { id: string; clientId: string | null; filename: string; contentType: string; size: number; sha256: string; storageKey: string; uploadedBy: string | null },
) {
  const [row] = await tx<DocumentRow[]>`
    insert into documents (id, tenant_id, client_id, filename, content_type, size, sha256, storage_key, uploaded_by)
    values (${document.id}, ${tenantId}, ${document.clientId}, ${document.filename}, ${document.contentType}, ${document.size},
            ${document.sha256}, ${document.storageKey}, ${document.uploadedBy})
    returning ${columns(tx)}`;
  return row!;
}

export async function deleteDocument(tx: TenantSql, tenantId: string, documentId: string) {
  const [row] = await tx<DocumentRow[]>`delete from documents where tenant_id = ${tenantId} and id = ${documentId} returning ${columns(tx)}`;
  return row;
}

export async function clientExists(tx: TenantSql, tenantId: string, clientId: string) {
  const [row] = await tx`select 1 from clients where tenant_id = ${tenantId} and id = ${clientId}`;
  return Boolean(row);
}

/** Bytes stored by the tenant (the overview's "storage used"). */
export async function storageUsed(tx: TenantSql, tenantId: string) {
  const [row] = await tx<{ bytes: string; count: number }[]>`
    select coalesce(sum(size), 0)::text as bytes, count(*)::int as count from documents where tenant_id = ${tenantId}`;
  return { bytes: Number(row?.bytes ?? 0), count: row?.count ?? 0 };
}
