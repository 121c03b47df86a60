-- API keys for integrations (SPEC §4): `agk_` + 256 random bits, shown once,
-- stored as a sha256 digest. A key acts for its tenant with its own role,
-- capped at `admin` (an unattended credential never holds owner powers).
create table api_keys (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  role text not null check (role in ('member', 'admin')),
  -- The first characters of the key, kept so people can tell keys apart.
  prefix text not null,
  key_hash bytea not null,
  created_by uuid references users (id) on delete set null,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index api_keys_key_hash_key on api_keys (key_hash);
create index api_keys_tenant_created_idx on api_keys (tenant_id, created_at desc, id desc);

select app_enable_tenant_rls('api_keys');

-- A key arrives before its tenant is known (on api.BASE_DOMAIN the tenant
-- comes from the credential): this narrow look-up by digest is the only
-- cross-tenant read of the table, and it returns no secret material.
create function app_api_key_by_hash(p_key_hash bytea)
returns table (id uuid, tenant_id uuid, name text, role text, expires_at timestamptz, revoked_at timestamptz, tenant_active boolean)
language sql stable security definer set search_path = public, pg_temp as $$
  select k.id, k.tenant_id, k.name, k.role, k.expires_at, k.revoked_at, t.is_active
  from api_keys k join tenants t on t.id = k.tenant_id
  where k.key_hash = p_key_hash
$$;

revoke all on function app_api_key_by_hash(bytea) from public;
grant execute on function app_api_key_by_hash(bytea) to aggios_app;
