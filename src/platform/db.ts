// PostgreSQL pools and the tenant scope every tenant query runs in.
import { hostname } from "node:os";
import postgres from "postgres";
import type { Config } from "../config";

export type Sql = postgres.Sql;
export type TenantSql = postgres.TransactionSql;

/**
 * The `application_name` of this process's pools, so /metrics can count its
 * own connections in pg_stat_activity (postgres.js keeps no pool statistics).
 * Host name and pid: replicas in containers all have small, equal pids.
 */
export function poolApplicationName(pool: "primary" | "replica"): string {
  return `aggios:${pool}:${hostname()}:${process.pid}`.slice(0, 63);
}

export function createPool(url: string, max: number, applicationName = "aggios"): Sql {
  return postgres(url, {
    max,
    idle_timeout: 30,
    connect_timeout: 5,
    // A dead database must yield a 503 within seconds, never a hung request.
    connection: { statement_timeout: 10_000, idle_in_transaction_session_timeout: 15_000, application_name: applicationName },
    onnotice: () => {},
    transform: { undefined: null },
  });
}

export function createDatabase(config: Config) {
  const sql = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, poolApplicationName("primary"));
  // Read-only list queries go through `withTenantRead` (see README, "Read
  // replica"); without a replica it is the primary pool itself.
  const replica = config.DATABASE_REPLICA_URL ? createPool(config.DATABASE_REPLICA_URL, config.DATABASE_POOL_MAX, poolApplicationName("replica")) : sql;
  return { sql, replica, withTenant: tenantScope(sql), withTenantRead: tenantScope(replica, "read only") };
}

export type Database = ReturnType<typeof createDatabase>;
export type WithTenant = Database["withTenant"];

/**
 * Runs `work` in a transaction whose `app.tenant_id` is `tenantId`, so RLS
 * admits that tenant's rows only. The setting is transaction-local: it cannot
 * leak to the next user of the pooled connection. Queries inside still filter
 * `tenant_id` themselves; RLS is the second lock, not the only one.
 */
export function tenantScope(sql: Sql, mode: "read write" | "read only" = "read write") {
  return function withTenant<T>(tenantId: string, work: (tx: TenantSql) => Promise<T>): Promise<T> {
    // `withTenantRead` is READ ONLY even on the primary, so a list query that
    // writes fails in every test today, not on the day a replica is added.
    return sql.begin(mode, async (tx) => {
      await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
      return work(tx);
    }) as Promise<T>;
  };
}

export class UnsafeDatabaseRole extends Error {}

/** Refuses a connection whose role could read across tenants (SPEC §2). */
export async function assertAppRole(sql: Sql): Promise<void> {
  const [role] = await sql<{ name: string; superuser: boolean; bypassrls: boolean; owns: boolean }[]>`
    select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypassrls,
      exists (
        select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and pg_has_role(current_user, c.relowner, 'USAGE')
      ) as owns
    from pg_roles r where r.rolname = current_user`;
  if (!role) throw new UnsafeDatabaseRole("cannot read the current database role");
  const problems = [
    role.superuser && "is a superuser",
    role.bypassrls && "has BYPASSRLS",
    role.owns && "owns (or inherits the owner of) the tables",
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new UnsafeDatabaseRole(
      `DATABASE_URL role "${role.name}" ${problems.join(", ")}; row-level security would not isolate tenants. ` +
        "Connect as the non-owner app role (aggios_app).",
    );
  }
}
