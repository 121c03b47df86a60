-- Client search that stays an index scan under row-level security.
--
-- Postgres will not use an index for a non-leakproof operator such as LIKE on
-- a table with RLS (the operator could reveal other tenants' rows before the
-- policy filters them), so `?q=` would read every row of every tenant. This
-- narrow SECURITY DEFINER function searches without RLS, but only inside the
-- tenant the transaction is already scoped to (`app.tenant_id`, exactly the
-- value the policies use), and returns ids only; the caller then reads the rows
-- through RLS as usual. Parameters are positional so tests can EXPLAIN the query.

-- One GIN index over (tenant_id, text): the search starts from the tenant's
-- rows, not from every tenant's matches.
create extension if not exists btree_gin;
create index clients_tenant_search_idx on clients using gin (tenant_id, search_text gin_trgm_ops);
drop index clients_search_trgm_idx;

-- $1 pattern (an escaped LIKE pattern), $2 status or null,
-- $3/$4 keyset position (created_at, id) or nulls, $5 limit.
-- Custom plans: the planner sees the real pattern, so a rare one uses the GIN
-- index and a common one walks (tenant_id, created_at) and stops at the limit.
create function app_search_client_ids(text, text, timestamptz, uuid, integer)
returns table (id uuid)
language plpgsql stable security definer
set search_path = public, pg_temp
set plan_cache_mode = force_custom_plan as $$
begin
  return query
  select c.id from clients c
  where c.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
    and c.search_text like $1
    and ($2 is null or c.status = $2)
    and ($3 is null or (c.created_at, c.id) < ($3, $4))
  order by c.created_at desc, c.id desc
  limit $5;
end $$;

revoke all on function app_search_client_ids(text, text, timestamptz, uuid, integer) from public;
grant execute on function app_search_client_ids(text, text, timestamptz, uuid, integer) to aggios_app;
