// /health is liveness only (no dependencies): a health check that depends on
// Postgres would make the proxy drop every replica at once during a blip.
// /ready names the dependency that is down.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import { requestMeta } from "../../platform/http";

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([work, Bun.sleep(CHECK_TIMEOUT_MS).then(() => Promise.reject(new Error("timed out")))]);
}

export function healthRoutes(deps: Deps) {
  const checks: Record<string, () => Promise<unknown>> = {
    database: () => deps.db.sql`select 1`,
    redis: () => deps.redis.ping(),
    ...deps.readinessChecks,
  };

  return new Elysia()
    .get("/health", () => ({ status: "ok" }))
    .get("/ready", async ({ request, set }) => {
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => [name, await withTimeout(check()).then(() => "ok", () => "down")] as const),
      );
      const down = results.filter(([, state]) => state === "down").map(([name]) => name);
      if (down.length === 0) return { status: "ok", checks: Object.fromEntries(results) };
      set.status = 503;
      set.headers["Retry-After"] = "5";
      return {
        error: {
          code: "service_unavailable",
          message: `Not ready: ${down.join(", ")} unavailable.`,
          details: Object.fromEntries(results),
          request_id: requestMeta(request).requestId,
        },
      };
    });
}
