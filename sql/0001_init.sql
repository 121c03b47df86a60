-- Tenants, users and refresh tokens as in the seed, with row-level security.
--
-- Roles (created outside migrations: by `bun run dev`'s bootstrap locally, by
-- deploy/postgres init in compose):
--   aggios_owner  owns every object here and runs migrations (BYPASSRLS, so the
--                 narrow SECURITY DEFINER look-ups below can cross tenants)
--   aggios_app    the application: not superuser, not BYPASSRLS, not owner.

-- Every tenant table gets the same two policies: a permissive one that admits
-- the app role at all, and a RESTRICTIVE one that no later permissive policy
-- can widen. Without `app.tenant_id` set the restrictive check is NULL: no rows.
create function app_enable_tenant_rls(table_name regclass, column_name text default 'tenant_id')
returns void language plpgsql as $$
begin
  execute format('alter table %s enable row level security', table_name);
  execute format('alter table %s force row level security', table_name);
  execute format('create policy app_access on %s as permissive for all to aggios_app using (true) with check (true)', table_name);
  execute format(
    'create policy tenant_isolation on %s as restrictive for all to public '
    'using (%I = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) '
    'with check (%I = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)',
    table_name, column_name, column_name);
  execute format('grant select, insert, update, delete on %s to aggios_app', table_name);
end $$;

create table tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  domain text,
  subdomain text not null check (subdomain ~ '^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?$'),
  is_active boolean not null default true,
  -- A custom domain is served only once its TXT record proved ownership.
  domain_verification_token text,
  domain_verified_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index tenants_subdomain_key on tenants (subdomain);
create unique index tenants_domain_key on tenants (lower(domain)) where domain is not null;

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null check (length(email) between 3 and 254),
  password_hash text not null,
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  tenant_id uuid not null references tenants (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member')),
  is_active boolean not null default true,
  -- Access tokens issued before this instant are dead (password change,
  -- deactivation, "sign out everywhere"); kept in Postgres so a Redis flush
  -- cannot resurrect them.
  tokens_valid_after timestamptz not null default '-infinity',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- The seed's rule: one account per email on the whole platform, case-insensitively.
create unique index users_email_key on users (lower(email));
create index users_tenant_id_idx on users (tenant_id, created_at desc, id);

create table refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- Every rotation stays in one family; reuse of a rotated token revokes it whole.
  family_id uuid not null,
  token_hash bytea not null,
  expires_at timestamptz not null,
  rotated_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index refresh_tokens_token_hash_key on refresh_tokens (token_hash);
create index refresh_tokens_expires_at_idx on refresh_tokens (expires_at);
create index refresh_tokens_family_idx on refresh_tokens (tenant_id, family_id);
create index refresh_tokens_user_idx on refresh_tokens (tenant_id, user_id);

-- Access tokens ended by logout before their expiry. Redis holds the hot copy.
create table revoked_access_tokens (
  jti uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  expires_at timestamptz not null
);
create index revoked_access_tokens_expires_idx on revoked_access_tokens (expires_at);

select app_enable_tenant_rls('tenants', 'id');
select app_enable_tenant_rls('users');
select app_enable_tenant_rls('refresh_tokens');
select app_enable_tenant_rls('revoked_access_tokens');

-- Narrow cross-tenant look-ups, needed before a tenant is known. Each returns
-- only what its caller needs; the app role may execute nothing else as owner.
create function app_tenant_by_host(p_subdomain text, p_domain text)
returns table (id uuid, name text, subdomain text, domain text, is_active boolean)
language sql stable security definer set search_path = public, pg_temp as $$
  select t.id, t.name, t.subdomain, t.domain, t.is_active
  from tenants t
  where (p_subdomain is not null and t.subdomain = p_subdomain)
     or (p_domain is not null and lower(t.domain) = lower(p_domain) and t.domain_verified_at is not null)
  limit 1
$$;

create function app_login_candidate(p_email text)
returns table (id uuid, tenant_id uuid, password_hash text, is_active boolean, tenant_active boolean)
language sql stable security definer set search_path = public, pg_temp as $$
  select u.id, u.tenant_id, u.password_hash, u.is_active, t.is_active
  from users u join tenants t on t.id = u.tenant_id
  where lower(u.email) = lower(p_email)
$$;

create function app_refresh_token_tenant(p_token_hash bytea)
returns uuid
language sql stable security definer set search_path = public, pg_temp as $$
  select tenant_id from refresh_tokens where token_hash = p_token_hash
$$;

create function app_subdomain_taken(p_subdomain text)
returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
  select exists (select 1 from tenants where subdomain = p_subdomain)
$$;

create function app_recent_revocations()
returns table (jti uuid, expires_at timestamptz)
language sql stable security definer set search_path = public, pg_temp as $$
  select jti, expires_at from revoked_access_tokens where expires_at > now()
$$;

revoke all on function app_tenant_by_host(text, text), app_login_candidate(text),
  app_refresh_token_tenant(bytea), app_subdomain_taken(text), app_recent_revocations() from public;
grant execute on function app_tenant_by_host(text, text), app_login_candidate(text),
  app_refresh_token_tenant(bytea), app_subdomain_taken(text), app_recent_revocations() to aggios_app;
revoke all on function app_enable_tenant_rls(regclass, text) from public;
