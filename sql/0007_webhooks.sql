-- Outgoing webhooks: endpoints a tenant registers, one delivery per
-- (event, endpoint) written in the transaction of the change (an outbox), and
-- every HTTP attempt of a delivery.
create table webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  url text not null check (length(url) between 8 and 2048),
  events text[] not null check (cardinality(events) between 1 and 32),
  description text check (length(description) <= 200),
  -- AES-256-GCM (iv ‖ ciphertext ‖ tag): the secret must be recoverable to
  -- sign, so it cannot be a hash; a database dump alone does not reveal it.
  secret_ciphertext bytea not null,
  secret_prefix text not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_endpoints_tenant_created_idx on webhook_endpoints (tenant_id, created_at desc, id desc);
create index webhook_endpoints_tenant_events_idx on webhook_endpoints using gin (events);

create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  event_id uuid not null,
  event_type text not null,
  -- The exact bytes sent (and signed), so a resend is byte-identical.
  body text not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_status_code integer,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_deliveries_endpoint_idx on webhook_deliveries (tenant_id, endpoint_id, created_at desc, id desc);
create index webhook_deliveries_pending_idx on webhook_deliveries (next_attempt_at) where status = 'pending';

create table webhook_attempts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
  attempt integer not null,
  status_code integer,
  error text,
  response_excerpt text,
  duration_ms integer not null,
  created_at timestamptz not null default now()
);
create index webhook_attempts_delivery_idx on webhook_attempts (tenant_id, delivery_id, attempt);

select app_enable_tenant_rls('webhook_endpoints');
select app_enable_tenant_rls('webhook_deliveries');
select app_enable_tenant_rls('webhook_attempts');

-- The delivery worker's recovery pass: which deliveries are still owed, across
-- tenants (the Redis schedule may have been flushed). Ids and times only.
create function app_pending_webhook_deliveries()
returns table (id uuid, tenant_id uuid, next_attempt_at timestamptz)
language sql stable security definer set search_path = public, pg_temp as $$
  select id, tenant_id, next_attempt_at from webhook_deliveries where status = 'pending'
$$;

revoke all on function app_pending_webhook_deliveries() from public;
grant execute on function app_pending_webhook_deliveries() to aggios_app;
