-- The agency's customers. Search is a trigram index over one generated text
-- column, so `?q=` stays an index scan at millions of rows (pg_trgm is trusted).
create extension if not exists pg_trgm;

create table clients (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  email text check (length(email) <= 254),
  phone text check (length(phone) <= 50),
  company text check (length(company) <= 200),
  status text not null default 'lead' check (status in ('lead', 'active', 'inactive')),
  notes text not null default '' check (length(notes) <= 10000),
  tags text[] not null default '{}' check (cardinality(tags) <= 20),
  created_by uuid,
  search_text text generated always as (lower(name || ' ' || coalesce(email, '') || ' ' || coalesce(company, ''))) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Lets child tables reference (tenant_id, id), so a row can never point at another tenant's client.
  unique (tenant_id, id)
);
-- One index per list order: newest first, optionally by status.
create index clients_tenant_created_idx on clients (tenant_id, created_at desc, id desc);
create index clients_tenant_status_created_idx on clients (tenant_id, status, created_at desc, id desc);
create index clients_search_trgm_idx on clients using gin (search_text gin_trgm_ops);

select app_enable_tenant_rls('clients');
