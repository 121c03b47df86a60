import type { TenantSql } from "../../platform/db";

export type TenantSettingsRow = {
  id: string;
  name: string;
  subdomain: string;
  domain: string | null;
  domain_verification_token: string | null;
  domain_verified_at: Date | null;
  require_mfa: boolean;
  created_at: Date;
};

export async function findTenantSettings(tx: TenantSql, tenantId: string) {
  const [row] = await tx<TenantSettingsRow[]>`
    select id, name, subdomain, domain, domain_verification_token, domain_verified_at, require_mfa, created_at from tenants where id = ${tenantId}`;
  return row;
}

export async function updateTenantName(tx: TenantSql, tenantId: string, name: string) {
  await tx`update tenants set name = ${name}, updated_at = now() where id = ${tenantId}`;
}

/** A new domain starts unverified with a fresh token; null removes it. */
export async function updateTenantDomain(tx: TenantSql, tenantId: string, domain: string | null, verificationToken: string | null) {
  await tx`update tenants set domain = ${domain}, domain_verification_token = ${verificationToken}, domain_verified_at = null, updated_at = now()
    where id = ${tenantId}`;
}

export async function markDomainVerified(tx: TenantSql, tenantId: string) {
  await tx`update tenants set domain_verified_at = now(), updated_at = now() where id = ${tenantId}`;
}

export async function updateRequireMfa(tx: TenantSql, tenantId: string, required: boolean) {
  await tx`update tenants set require_mfa = ${required}, updated_at = now() where id = ${tenantId}`;
}
