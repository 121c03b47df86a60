import type { TenantSettingsRow } from "./queries";

export const presentTenantSettings = (row: TenantSettingsRow) => ({
  id: row.id,
  name: row.name,
  subdomain: row.subdomain,
  domain: row.domain,
  domain_verified: row.domain_verified_at !== null,
  domain_verification:
    row.domain && row.domain_verification_token ? { type: "TXT", name: `_aggios-verify.${row.domain}`, value: row.domain_verification_token } : null,
  created_at: row.created_at.toISOString(),
});
