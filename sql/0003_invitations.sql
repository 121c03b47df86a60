-- Invitations to join a tenant's team. The link's token is stored only as a
-- sha256 digest; a link is valid 7 days and works once.
create table invitations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  email text not null check (length(email) between 3 and 254),
  role text not null check (role in ('admin', 'member')),
  token_hash bytea not null,
  invited_by uuid references users (id) on delete set null,
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index invitations_token_hash_key on invitations (token_hash);
create index invitations_tenant_created_idx on invitations (tenant_id, created_at desc, id desc);
-- One open invitation per address and tenant; re-inviting replaces it.
create unique index invitations_open_email_key on invitations (tenant_id, lower(email))
  where accepted_at is null and revoked_at is null;

select app_enable_tenant_rls('invitations');

-- POST /api/auth/accept-invitation may arrive on the api host, where the
-- tenant is not known yet: only the tenant of a token's digest is revealed.
create function app_invitation_tenant(p_token_hash bytea)
returns uuid
language sql stable security definer set search_path = public, pg_temp as $$
  select tenant_id from invitations where token_hash = p_token_hash
$$;

revoke all on function app_invitation_tenant(bytea) from public;
grant execute on function app_invitation_tenant(bytea) to aggios_app;
