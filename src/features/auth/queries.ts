import type { Sql, TenantSql } from "../../platform/db";
import type { TenantRow, UserRow } from "./present";

const USER_COLUMNS = ["id", "email", "first_name", "last_name", "role", "tenant_id", "created_at"];

export async function insertTenant(tx: TenantSql, tenant: { id: string; name: string; subdomain: string }) {
  const [row] = await tx<TenantRow[]>`
    insert into tenants (id, name, subdomain) values (${tenant.id}, ${tenant.name}, ${tenant.subdomain})
    returning id, name, subdomain, domain, created_at`;
  return row!;
}

export async function insertUser(
  tx: TenantSql,
  tenantId: string,
  user: { email: string; passwordHash: string; firstName: string; lastName: string; role: UserRow["role"] },
) {
  const [row] = await tx<UserRow[]>`
    insert into users (tenant_id, email, password_hash, first_name, last_name, role)
    values (${tenantId}, ${user.email}, ${user.passwordHash}, ${user.firstName}, ${user.lastName}, ${user.role})
    returning ${tx(USER_COLUMNS)}`;
  return row!;
}

export async function findUser(tx: TenantSql, tenantId: string, userId: string) {
  const [row] = await tx<UserRow[]>`
    select ${tx(USER_COLUMNS)} from users where tenant_id = ${tenantId} and id = ${userId}`;
  return row;
}

export type LoginCandidate = { id: string; tenant_id: string; password_hash: string; is_active: boolean; tenant_active: boolean };

/** Cross-tenant by necessity (the tenant is not known yet): a SECURITY DEFINER function. */
export async function findLoginCandidate(sql: Sql, email: string) {
  const [row] = await sql<LoginCandidate[]>`select * from app_login_candidate(${email})`;
  return row;
}

export async function subdomainTaken(sql: Sql, subdomain: string) {
  const [row] = await sql<{ taken: boolean }[]>`select app_subdomain_taken(${subdomain}) as taken`;
  return row?.taken ?? false;
}
