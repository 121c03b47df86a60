import { describe, expect, test } from "bun:test";
import { call, makeApp, signupTenant } from "../../test/helpers";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";
const target = makeApp({ METRICS_TOKEN });

async function scrape(token = METRICS_TOKEN) {
  // Request series are recorded after the response went out.
  await Bun.sleep(30);
  return call(target, "GET", "/metrics", { token, host: "127.0.0.1:3000" });
}

/** Lines of one metric family whose labels include all of `labels`. */
function series(text: string, name: string, labels: Record<string, string> = {}) {
  return text.split("\n").filter((line) => {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) return false;
    return Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
  });
}

describe("/metrics", () => {
  test("counts requests by route template and status, with latency buckets", async () => {
    const owner = await signupTenant(target);
    for (let i = 0; i < 3; i++) expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(200);
    const missing = crypto.randomUUID();
    expect((await call(target, "GET", `/api/clients/${missing}`, { token: owner.accessToken, host: owner.host })).status).toBe(404);

    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = response.text;

    const me = series(text, "aggios_http_requests_total", { method: "GET", route: "/api/users/me", status: "200" });
    expect(me).toHaveLength(1);
    expect(Number(me[0]!.split(" ").at(-1))).toBeGreaterThanOrEqual(3);
    // The template, never the id: one series for every client ever fetched.
    expect(series(text, "aggios_http_requests_total", { route: "/api/clients/:id", status: "404" })).toHaveLength(1);
    expect(text).not.toContain(missing);

    const buckets = series(text, "aggios_http_request_duration_seconds_bucket", { route: "/api/users/me", status: "200" });
    expect(buckets.map((line) => /le="([^"]+)"/.exec(line)?.[1])).toEqual(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]);
    expect(series(text, "aggios_http_request_duration_seconds_count", { route: "/api/users/me" })).toHaveLength(1);
  });

  test("an unmatched path is one `unmatched` series, not one per path", async () => {
    const path = `/no-such-page-${crypto.randomUUID()}`;
    expect((await call(target, "GET", path)).status).toBe(404);
    const text = (await scrape()).text;
    expect(text).not.toContain(path);
    expect(series(text, "aggios_http_requests_total", { route: "unmatched", status: "404" })).toHaveLength(1);
  });

  test("exposes the database pool, Redis and the process", async () => {
    const { sql } = target.deps.db;
    // Three connections open at once, then one kept busy during the scrape.
    await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`));
    const busy = sql`select pg_sleep(1)`.execute();
    await Bun.sleep(100);
    const text = (await scrape()).text;
    await busy;
    expect(series(text, "aggios_db_pool_max", { pool: "primary" })[0]).toEndWith(` ${target.deps.config.DATABASE_POOL_MAX}`);
    expect(series(text, "aggios_db_up", { pool: "primary" })[0]).toEndWith(" 1");
    for (const state of ["active", "idle", "idle_in_transaction"]) {
      expect(series(text, "aggios_db_pool_connections", { pool: "primary", state })).toHaveLength(1);
    }
    const count = (state: string) => Number(series(text, "aggios_db_pool_connections", { pool: "primary", state })[0]!.split(" ").at(-1));
    expect(count("active")).toBeGreaterThanOrEqual(1);
    // Three were opened; the scrape's own query used one of them.
    expect(count("active") + count("idle")).toBeGreaterThanOrEqual(2);
    expect(series(text, "aggios_redis_up")[0]).toBe("aggios_redis_up 1");
    for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds"]) {
      expect(series(text, name)).toHaveLength(1);
    }
  });

  test("refuses a missing or wrong token with 401", async () => {
    const anonymous = await call(target, "GET", "/metrics", { host: "127.0.0.1:3000" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    expect(anonymous.text).not.toContain("aggios_http_requests_total");
    expect((await scrape("not-the-metrics-token")).status).toBe(401);
    expect((await scrape(`${METRICS_TOKEN}x`)).status).toBe(401);
  });

  test("does not exist when METRICS_TOKEN is not configured", async () => {
    const bare = makeApp({ METRICS_TOKEN: "" });
    const response = await call(bare, "GET", "/metrics", { token: METRICS_TOKEN });
    expect(response.status).toBe(404);
    expect(response.text).not.toContain("process_cpu");
  });
});
