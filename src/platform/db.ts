// PostgreSQL pools and the tenant scope every tenant query runs in.
import { hostname } from "node:os";
import postgres from "postgres";
import type { Config } from "../config";

export type Sql = postgres.Sql;
// A reserved connection inside withTenant's transaction (no savepoints).
export type TenantSql = postgres.ReservedSql;

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
 *
 * Round trips: `begin`, the setting and `work`'s first query are pipelined on
 * a reserved connection (postgres.js writes queries issued without awaiting
 * each other back to back), then `commit` follows: two round trips instead of
 * `sql.begin`'s four. When `work` returns its one query itself (a plain
 * function returning `tx\`…\``, not an async one), nothing can follow it, so
 * `commit` is pipelined too: one round trip, and the connection is held for
 * that round trip only, not for the event-loop turns between query and commit
 * (under load those turns, not PostgreSQL, bound a 10-connection pool:
 * bench/RESULTS.md).
 *
 * Ordering on the one connection keeps this fail-closed: if `begin` or the
 * setting fails, what follows runs in an aborted transaction (errors, and
 * `commit` becomes a rollback) or, at worst, without `app.tenant_id`, which
 * RLS answers with no rows and refused writes.
 */
export function tenantScope(sql: Sql, mode: "read write" | "read only" = "read write") {
  // `withTenantRead` is READ ONLY even on the primary, so a list query that
  // writes fails in every test today, not on the day a replica is added.
  const begin = `begin ${mode}`;
  return async function withTenant<T>(tenantId: string, work: (tx: TenantSql) => Promise<T>): Promise<T> {
    const tx = await reserve(sql);
    // A connection that dies mid-transaction never answers what is still
    // queued on it (postgres.js's own `begin` races the same hook): every wait
    // below races `lost`, and a dead connection is neither rolled back nor
    // released into the pool.
    let connection: PoolConnection | undefined;
    let dead = false;
    let loseConnection!: (error: unknown) => void;
    const lost = new Promise<never>((_, reject) => (loseConnection = reject));
    lost.catch(() => {});
    const watch = (c: PoolConnection) => {
      connection = c;
      c.onclose = (error) => {
        dead = true;
        loseConnection(error);
      };
      return true; // keep pipelining on this connection
    };
    const settle = <V>(promise: Promise<V>) => Promise.race([promise, lost]);
    try {
      // postgres.js sends a query one microtask after it is first executed or
      // awaited, in that order. `execute()` here, before `work` runs, puts
      // `begin` and the setting ahead of anything `work` (or the rollback
      // below) sends: a rollback that overtook `begin` would hand the pool a
      // connection left inside this tenant's transaction.
      const opened = Promise.all([
        tx.unsafe(begin, [], { onexecute: watch } as never).execute(),
        tx`select set_config('app.tenant_id', ${tenantId}, true)`.execute(),
      ]);
      opened.catch(() => {}); // awaited below
      let result: T;
      try {
        const pending = work(tx);
        if (isQuery(pending)) {
          const committed = Promise.all([pending.execute(), tx`commit`.execute()]);
          committed.catch(() => {});
          await settle(opened);
          [result] = (await settle(committed)) as [T, unknown];
          return result;
        }
        result = await settle(pending);
        await settle(opened);
      } catch (error) {
        if (!dead) await settle(tx`rollback`).catch(() => {});
        // A failed `begin` or setting aborts what follows; report the cause, not its echo.
        throw dead ? error : await opened.then(() => error, (cause: unknown) => cause);
      }
      await settle(tx`commit`);
      return result;
    } finally {
      if (connection) connection.onclose = null;
      if (!dead) tx.release();
    }
  };
}

const RESERVE_TIMEOUT_MS = 3_000;

/**
 * `sql.reserve()`, failing (→ 503) instead of waiting forever: postgres.js
 * 3.4 drops a reserve that is queued while PostgreSQL is down and then served
 * by a fresh connection (it fetches array types first and forgets the
 * reserve). The connection itself is not lost; a reserve that resolves after
 * the timeout is released at once.
 */
async function reserve(sql: Sql): Promise<postgres.ReservedSql> {
  const reserving = sql.reserve();
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no database connection within ${RESERVE_TIMEOUT_MS} ms`), { code: "CONNECT_TIMEOUT" })), RESERVE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([reserving, timeout]);
  } catch (error) {
    reserving.then((late) => late.release(), () => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The slice of a postgres.js connection that `onexecute` hands over. */
type PoolConnection = { onclose: ((error: unknown) => void) | null };

/** A postgres.js query (lazy until awaited), as opposed to any other promise. */
function isQuery(value: unknown): value is postgres.PendingQuery<postgres.Row[]> {
  return value instanceof Promise && typeof (value as Partial<postgres.PendingQuery<postgres.Row[]>>).describe === "function";
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
