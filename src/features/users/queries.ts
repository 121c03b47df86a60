import { CURSOR_AT_FORMAT, decodeCursor } from "../../platform/pagination";
import { revokeAllRefreshTokens } from "../../identity/refresh-tokens";
import type { TenantSql } from "../../platform/db";
import type { Role } from "../../identity/tokens";

export type MemberRow = {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  is_active: boolean;
  tenant_id: string;
  created_at: Date;
  cursor_at: string;
};

const memberColumns = (tx: TenantSql) =>
  tx`id, email, first_name, last_name, role, is_active, tenant_id, created_at, to_char(created_at at time zone 'UTC', ${CURSOR_AT_FORMAT}) as cursor_at`;

/** Oldest first (owners lead the team page), keyset-paginated. */
export async function listMembers(tx: TenantSql, tenantId: string, page: { limit: number; cursor?: string }) {
  const after = decodeCursor(page.cursor);
  return tx<MemberRow[]>`
    select ${memberColumns(tx)} from users
    where tenant_id = ${tenantId}
      ${after ? tx`and (created_at, id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx``}
    order by created_at, id
    limit ${page.limit + 1}`;
}

export async function findMember(tx: TenantSql, tenantId: string, userId: string) {
  const [row] = await tx<MemberRow[]>`select ${memberColumns(tx)} from users where tenant_id = ${tenantId} and id = ${userId}`;
  return row;
}

export async function updateMemberRole(tx: TenantSql, tenantId: string, userId: string, role: Role) {
  await tx`update users set role = ${role}, updated_at = now() where tenant_id = ${tenantId} and id = ${userId}`;
}

/** Deactivation also kills every access token issued so far (tokens_valid_after). */
export async function setMemberActive(tx: TenantSql, tenantId: string, userId: string, active: boolean) {
  await tx`update users set is_active = ${active}, updated_at = now(),
      tokens_valid_after = case when ${active} then tokens_valid_after else now() end
    where tenant_id = ${tenantId} and id = ${userId}`;
}

/** Kills every access token issued so far and every refresh family (sessions live in Redis: the caller ends them after commit). */
export async function revokeUserCredentials(tx: TenantSql, tenantId: string, userId: string) {
  await tx`update users set tokens_valid_after = now(), updated_at = now() where tenant_id = ${tenantId} and id = ${userId}`;
  await revokeAllRefreshTokens(tx, tenantId, userId);
}

/** Active users who have not confirmed a second factor (require-2FA sign-out). */
export async function listUsersWithoutMfa(tx: TenantSql, tenantId: string) {
  return tx<{ id: string }[]>`
    select u.id from users u
    where u.tenant_id = ${tenantId} and u.is_active
      and not exists (select 1 from user_mfa m where m.tenant_id = u.tenant_id and m.user_id = u.id and m.confirmed_at is not null)`;
}

export async function countMembers(tx: TenantSql, tenantId: string) {
  const [row] = await tx<{ active: number; total: number }[]>`
    select count(*) filter (where is_active)::int as active, count(*)::int as total from users where tenant_id = ${tenantId}`;
  return row!;
}

export async function updateProfile(tx: TenantSql, tenantId: string, userId: string, profile: { first_name: string; last_name: string }) {
  await tx`update users set first_name = ${profile.first_name}, last_name = ${profile.last_name}, updated_at = now()
    where tenant_id = ${tenantId} and id = ${userId}`;
}

export async function findPasswordHash(tx: TenantSql, tenantId: string, userId: string) {
  const [row] = await tx<{ password_hash: string }[]>`select password_hash from users where tenant_id = ${tenantId} and id = ${userId}`;
  return row?.password_hash;
}

export async function updatePassword(tx: TenantSql, tenantId: string, userId: string, passwordHash: string) {
  await tx`update users set password_hash = ${passwordHash}, tokens_valid_after = now(), updated_at = now()
    where tenant_id = ${tenantId} and id = ${userId}`;
}
