// One ioredis client per process, tuned to fail fast: when Redis is down a
// request gets a 503 within a couple of seconds instead of queueing forever.
import Redis from "ioredis";

export function createRedis(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    // A command issued while Redis is away waits for one reconnection attempt,
    // then fails (→ 503) instead of queueing forever.
    maxRetriesPerRequest: 1,
    // Keep reconnecting in the background; service resumes by itself.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Commands issued in the same tick (many concurrent requests) go out in one
    // write: per-request Redis look-ups were a visible share of socket writes
    // in the bench profile (bench/RESULTS.md).
    enableAutoPipelining: true,
  });
}

/** Connects, tolerating a Redis that is down at start-up (it is retried). */
export async function connectRedis(redis: Redis): Promise<void> {
  redis.on("error", () => {}); // reported by /ready and per-request 503s, not as a crash
  await redis.connect().catch(() => {});
}
