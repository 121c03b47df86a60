-- File metadata; the bytes live in object storage under storage_key
-- ({tenant_id}/documents/{uuid}), which is never built from user input.
create table documents (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  client_id uuid,
  filename text not null check (length(filename) between 1 and 255),
  content_type text not null check (length(content_type) <= 127),
  size bigint not null check (size >= 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text not null check (storage_key ~ '^[0-9a-f-]{36}/documents/[0-9a-f-]{36}$'),
  uploaded_by uuid,
  created_at timestamptz not null default now(),
  -- Same-tenant clients only; deleting a client keeps its files, unlinked.
  foreign key (tenant_id, client_id) references clients (tenant_id, id) on delete set null (client_id)
);
create unique index documents_storage_key_key on documents (storage_key);
create index documents_tenant_created_idx on documents (tenant_id, created_at desc, id desc);
create index documents_tenant_client_created_idx on documents (tenant_id, client_id, created_at desc, id desc);

select app_enable_tenant_rls('documents');
