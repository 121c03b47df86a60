// Prometheus metrics, one registry per app (tests run several apps in one
// process). Request series are labelled by the route TEMPLATE Elysia matched
// (`/api/clients/:id`), never the raw path: ids in labels would create a new
// series per object and exhaust Prometheus' memory.
import { Elysia } from "elysia";
import type Redis from "ioredis";
import client from "prom-client";
import type { Config } from "../config";
import { poolApplicationName, type Database, type Sql } from "./db";
import { requireInternalToken } from "./internal-auth";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const LABELS = ["method", "route", "status"] as const;
const POOL_QUERY_TIMEOUT_MS = 1_000;

export function createMetrics(options: { config: Config; db: Database; redis: Redis }) {
  const { config, db, redis } = options;
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  const requests = new client.Counter({ name: "aggios_http_requests_total", help: "HTTP requests by method, route template and status.", labelNames: LABELS, registers: [registry] });
  const duration = new client.Histogram({
    name: "aggios_http_request_duration_seconds",
    help: "HTTP request latency by method, route template and status.",
    labelNames: LABELS,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const pools: { name: "primary" | "replica"; sql: Sql }[] = [{ name: "primary", sql: db.sql }];
  if (db.replica !== db.sql) pools.push({ name: "replica", sql: db.replica });

  new client.Gauge({
    name: "aggios_db_pool_max",
    help: "Configured maximum connections per pool.",
    labelNames: ["pool"],
    registers: [registry],
    collect() {
      for (const pool of pools) this.set({ pool: pool.name }, config.DATABASE_POOL_MAX);
    },
  });
  const up = new client.Gauge({ name: "aggios_db_up", help: "1 if the pool answered the scrape's query within 1 s.", labelNames: ["pool"], registers: [registry] });
  new client.Gauge({
    name: "aggios_db_pool_connections",
    help: "This process's open connections per pool by state (from pg_stat_activity; the scrape's own connection excluded).",
    labelNames: ["pool", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const pool of pools) {
        const counts = await poolConnections(pool.sql, poolApplicationName(pool.name));
        up.set({ pool: pool.name }, counts ? 1 : 0);
        for (const state of ["active", "idle", "idle_in_transaction"]) this.set({ pool: pool.name, state }, counts?.[state] ?? 0);
      }
    },
  });
  new client.Gauge({
    name: "aggios_redis_up",
    help: "1 if the Redis client is connected and ready.",
    registers: [registry],
    collect() {
      this.set(redis.status === "ready" ? 1 : 0);
    },
  });

  return {
    registry,
    observeRequest(method: string, route: string | undefined, status: number, seconds: number) {
      const labels = { method: METHODS.has(method) ? method : "OTHER", route: route ?? "unmatched", status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

async function poolConnections(sql: Sql, applicationName: string): Promise<Record<string, number> | null> {
  const query = sql<{ state: string; count: number }[]>`
    select replace(coalesce(state, 'unknown'), ' ', '_') as state, count(*)::int as count
    from pg_stat_activity
    where application_name = ${applicationName} and pid <> pg_backend_pid()
    group by 1`;
  const timeout = Bun.sleep(POOL_QUERY_TIMEOUT_MS).then(() => null);
  const rows = await Promise.race([query.catch(() => null), timeout]);
  if (!rows) {
    query.cancel();
    return null;
  }
  return Object.fromEntries(rows.map((row) => [row.state, row.count]));
}

/** GET /metrics in the Prometheus text format, behind METRICS_TOKEN. */
export function metricsRoutes(deps: { config: Config; metrics: Metrics }) {
  return new Elysia({ name: "metrics" }).get("/metrics", async ({ request, set }) => {
    requireInternalToken(request, deps.config.METRICS_TOKEN, "metrics");
    set.headers["content-type"] = deps.metrics.registry.contentType;
    set.headers["cache-control"] = "no-store";
    return deps.metrics.registry.metrics();
  });
}
