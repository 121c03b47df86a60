import type { Sql, TenantSql } from "../../platform/db";
import { CURSOR_AT_FORMAT, decodeCursor } from "../../platform/pagination";

export type InvitationRow = {
  id: string;
  tenant_id: string;
  email: string;
  role: "admin" | "member";
  invited_by: string | null;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  cursor_at: string;
};

const columns = (tx: TenantSql) =>
  tx`id, tenant_id, email, role, invited_by, expires_at, accepted_at, revoked_at, created_at, to_char(created_at at time zone 'UTC', ${CURSOR_AT_FORMAT}) as cursor_at`;

/** Re-inviting an address replaces its open invitation (the old link stops working). */
export async function insertInvitation(tx: TenantSql, tenantId: string, invitation: { email: string; role: string; tokenHash: Buffer; invitedBy: string | null }) {
  await tx`update invitations set revoked_at = now()
    where tenant_id = ${tenantId} and lower(email) = lower(${invitation.email}) and accepted_at is null and revoked_at is null`;
  const [row] = await tx<InvitationRow[]>`
    insert into invitations (tenant_id, email, role, token_hash, invited_by)
    values (${tenantId}, ${invitation.email}, ${invitation.role}, ${invitation.tokenHash}, ${invitation.invitedBy})
    returning ${columns(tx)}`;
  return row!;
}

/** Open invitations (not accepted, not revoked, not expired), newest first. */
export async function listOpenInvitations(tx: TenantSql, tenantId: string, page: { limit: number; cursor?: string }) {
  const before = decodeCursor(page.cursor);
  return tx<InvitationRow[]>`
    select ${columns(tx)} from invitations
    where tenant_id = ${tenantId} and accepted_at is null and revoked_at is null and expires_at > now()
      ${before ? tx`and (created_at, id) < (${before.createdAt}::timestamptz, ${before.id}::uuid)` : tx``}
    order by created_at desc, id desc
    limit ${page.limit + 1}`;
}

export async function revokeInvitation(tx: TenantSql, tenantId: string, id: string) {
  const [row] = await tx<InvitationRow[]>`
    update invitations set revoked_at = now()
    where tenant_id = ${tenantId} and id = ${id} and accepted_at is null and revoked_at is null
    returning ${columns(tx)}`;
  return row;
}

/** The open invitation behind a link, locked so two acceptances cannot both succeed. */
export async function findOpenInvitationByToken(tx: TenantSql, tenantId: string, tokenHash: Buffer, options: { lock?: boolean } = {}) {
  const [row] = await tx<InvitationRow[]>`
    select ${columns(tx)} from invitations
    where tenant_id = ${tenantId} and token_hash = ${tokenHash}
      and accepted_at is null and revoked_at is null and expires_at > now()
    ${options.lock ? tx`for update` : tx``}`;
  return row;
}

export async function markAccepted(tx: TenantSql, tenantId: string, id: string) {
  await tx`update invitations set accepted_at = now() where tenant_id = ${tenantId} and id = ${id}`;
}

/** Cross-tenant by necessity (accepting on the api host): a SECURITY DEFINER function. */
export async function tenantOfInvitation(sql: Sql, tokenHash: Buffer) {
  const [row] = await sql<{ tenant_id: string | null }[]>`select app_invitation_tenant(${tokenHash}) as tenant_id`;
  return row?.tenant_id ?? null;
}
