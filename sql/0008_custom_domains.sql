-- Custom domains for Traefik's HTTP provider (GET /internal/traefik/dynamic.json).
-- Listing every tenant's domain crosses tenants, which RLS forbids the app
-- role; this SECURITY DEFINER look-up returns the one column the edge needs,
-- and only for domains whose TXT record was verified on active tenants, so an
-- unverified claim on someone else's domain never gets a router or a
-- certificate request.
create function app_verified_custom_domains()
returns table (domain text)
language sql stable security definer set search_path = public, pg_temp as $$
  select lower(t.domain)
  from tenants t
  where t.domain is not null and t.domain_verified_at is not null and t.is_active
  order by 1
$$;

revoke all on function app_verified_custom_domains() from public;
grant execute on function app_verified_custom_domains() to aggios_app;
