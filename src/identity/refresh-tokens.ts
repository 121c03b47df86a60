// Refresh tokens: opaque, hashed at rest, rotated on every use. Presenting a
// rotated token means it was stolen or replayed: the whole family is revoked.
import type { Sql, TenantSql, WithTenant } from "../platform/db";
import { digest, randomToken } from "./secrets";
import type { Role } from "./tokens";

export type TokenUser = { id: string; email: string; tenant_id: string; role: Role };

export async function insertRefreshToken(
  tx: TenantSql,
  options: { userId: string; tenantId: string; ttlDays: number; familyId?: string },
): Promise<string> {
  const token = randomToken(32);
  const familyId = options.familyId ?? crypto.randomUUID();
  await tx`insert into refresh_tokens (user_id, tenant_id, family_id, token_hash, expires_at)
    values (${options.userId}, ${options.tenantId}, ${familyId}, ${digest(token)},
            now() + make_interval(days => ${options.ttlDays}))`;
  return token;
}

async function tenantOfToken(sql: Sql, hash: Buffer): Promise<string | null> {
  const [row] = await sql<{ tenant_id: string | null }[]>`select app_refresh_token_tenant(${hash}) as tenant_id`;
  return row?.tenant_id ?? null;
}

/** A new token of the same family and the user it belongs to, or null (after revoking the family on reuse). */
export async function rotateRefreshToken(
  deps: { sql: Sql; withTenant: WithTenant; ttlDays: number },
  token: string,
  hostTenantId?: string,
): Promise<{ user: TokenUser; refreshToken: string } | null> {
  const hash = digest(token);
  const tenantId = await tenantOfToken(deps.sql, hash);
  // On a tenant host another tenant's token is refused without being spent.
  if (!tenantId || (hostTenantId && hostTenantId !== tenantId)) return null;
  return deps.withTenant(tenantId, async (tx) => {
    // The row lock makes two concurrent refreshes of one token serialize: the
    // second finds it rotated and is treated as reuse.
    const [current] = await tx<{ user_id: string; family_id: string }[]>`
      update refresh_tokens set rotated_at = now()
      where tenant_id = ${tenantId} and token_hash = ${hash}
        and rotated_at is null and revoked_at is null and expires_at > now()
      returning user_id, family_id`;
    if (!current) {
      await tx`update refresh_tokens set revoked_at = now()
        where tenant_id = ${tenantId} and revoked_at is null and family_id in (
          select family_id from refresh_tokens
          where tenant_id = ${tenantId} and token_hash = ${hash} and rotated_at is not null)`;
      return null;
    }
    const [user] = await tx<TokenUser[]>`
      select u.id, u.email, u.tenant_id, u.role from users u join tenants t on t.id = u.tenant_id
      where u.tenant_id = ${tenantId} and u.id = ${current.user_id} and u.is_active and t.is_active`;
    if (!user) return null;
    const refreshToken = await insertRefreshToken(tx, { userId: user.id, tenantId, ttlDays: deps.ttlDays, familyId: current.family_id });
    return { user, refreshToken };
  });
}

/** Revokes the family of `token` if it belongs to `userId` in `tenantId`. */
export async function revokeRefreshFamily(tx: TenantSql, tenantId: string, userId: string, token: string) {
  const result = await tx`update refresh_tokens set revoked_at = now()
    where tenant_id = ${tenantId} and revoked_at is null and family_id in (
      select family_id from refresh_tokens
      where tenant_id = ${tenantId} and user_id = ${userId} and token_hash = ${digest(token)})`;
  return result.count;
}

/** Every family of the user (password change, reset, deactivation). */
export async function revokeAllRefreshTokens(tx: TenantSql, tenantId: string, userId: string) {
  await tx`update refresh_tokens set revoked_at = now()
    where tenant_id = ${tenantId} and user_id = ${userId} and revoked_at is null`;
}
