-- Two-factor sign-in, password reset and email change (ASVS 6.3.3, 6.4).

-- An owner can require every member to use a second factor.
alter table tenants add column require_mfa boolean not null default false;

create table user_mfa (
  user_id uuid primary key references users (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- The TOTP secret must be readable to verify codes, so it is sealed
  -- (AES-256-GCM, key derived from SESSION_SECRET) rather than hashed.
  secret_sealed text not null,
  confirmed_at timestamptz,
  created_at timestamptz not null default now()
);
create index user_mfa_tenant_idx on user_mfa (tenant_id, user_id);

create table mfa_recovery_codes (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  code_hash bytea not null,
  used_at timestamptz
);
create index mfa_recovery_codes_user_idx on mfa_recovery_codes (tenant_id, user_id);

create table password_resets (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  token_hash bytea not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index password_resets_user_idx on password_resets (tenant_id, user_id, created_at desc);

create table email_changes (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  new_email text not null,
  token_hash bytea not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index email_changes_user_idx on email_changes (tenant_id, user_id, created_at desc);

select app_enable_tenant_rls('user_mfa');
select app_enable_tenant_rls('mfa_recovery_codes');
select app_enable_tenant_rls('password_resets');
select app_enable_tenant_rls('email_changes');

-- A reset or confirmation link arrives before any tenant is known.
create function app_account_token_tenant(p_kind text, p_token_hash bytea)
returns uuid
language sql stable security definer set search_path = public, pg_temp as $$
  select tenant_id from password_resets where p_kind = 'password_reset' and token_hash = p_token_hash
  union all
  select tenant_id from email_changes where p_kind = 'email_change' and token_hash = p_token_hash
  limit 1
$$;
revoke all on function app_account_token_tenant(text, bytea) from public;
grant execute on function app_account_token_tenant(text, bytea) to aggios_app;
