-- Who did what, written in the same transaction as the change it records.
create table audit_log (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  actor_type text not null check (actor_type in ('user', 'api_key', 'system', 'anonymous')),
  actor_id uuid,
  -- The actor's email or key name at the time, so the trail survives renames and deletions.
  actor_label text,
  action text not null check (action ~ '^[a-z_]+\.[a-z_]+$'),
  target_type text,
  target_id text,
  ip text,
  user_agent text,
  request_id text,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_log_tenant_created_idx on audit_log (tenant_id, created_at desc, id desc);
create index audit_log_tenant_action_idx on audit_log (tenant_id, action, created_at desc, id desc);
create index audit_log_tenant_actor_idx on audit_log (tenant_id, actor_id, created_at desc, id desc);

select app_enable_tenant_rls('audit_log');
-- Append-only for the app: a compromised request cannot rewrite history.
revoke update, delete on audit_log from aggios_app;
