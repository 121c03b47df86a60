// Row → API JSON. Explicit fields only, so a new column never leaks by accident.
import type { Role } from "../../identity/tokens";

export type UserRow = { id: string; email: string; first_name: string; last_name: string; role: Role; tenant_id: string; created_at: Date };
export type TenantRow = { id: string; name: string; subdomain: string; domain: string | null; created_at: Date };

export const presentUser = (user: UserRow) => ({
  id: user.id,
  email: user.email,
  first_name: user.first_name,
  last_name: user.last_name,
  role: user.role,
  tenant_id: user.tenant_id,
  created_at: user.created_at.toISOString(),
});

export const presentTenant = (tenant: TenantRow) => ({
  id: tenant.id,
  name: tenant.name,
  subdomain: tenant.subdomain,
  domain: tenant.domain,
  created_at: tenant.created_at.toISOString(),
});

export const presentTokenPair = (pair: { accessToken: string; refreshToken: string; expiresIn: number }) => ({
  access_token: pair.accessToken,
  refresh_token: pair.refreshToken,
  token_type: "Bearer" as const,
  expires_in: pair.expiresIn,
});
