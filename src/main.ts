// Start-up: config → clients → checks → app → listen; SIGTERM drains.
import { createApp, createDeps } from "./app";
import { config } from "./config";
import { FORM_OVERHEAD_BYTES } from "./features/documents/upload";
import { assertAppRole, UnsafeDatabaseRole } from "./platform/db";
import { connectRedis } from "./platform/redis";
import { startTracing } from "./platform/tracing";

const deps = createDeps(config, { tracing: await startTracing(config) });
const { log } = deps;

try {
  await assertAppRole(deps.db.sql);
} catch (error) {
  const message = error instanceof UnsafeDatabaseRole ? error.message : `cannot reach PostgreSQL at DATABASE_URL: ${(error as Error).message}`;
  log.fatal(message);
  console.error(`aggios: ${message}`);
  process.exit(1);
}
await connectRedis(deps.redis);

// Uploads stream through the documents route, which meters them and answers 413
// itself; Bun's hard cap sits just above so that JSON 413 is what clients see.
const maxRequestBodySize = config.MAX_UPLOAD_MB * 1024 * 1024 + FORM_OVERHEAD_BYTES;
// idleTimeout closes connections that send nothing for 30 s (slow-loris);
// Bun itself refuses request headers over 16 KiB.
const app = createApp(deps).listen({ port: config.PORT, hostname: "0.0.0.0", maxRequestBodySize, idleTimeout: 30 });
// Webhook deliveries run in every replica; they share the Redis schedule.
deps.webhookWorker.start();
log.info({ port: config.PORT }, `Aggios listening on ${config.publicScheme}://${config.BASE_DOMAIN}:${config.PORT}/`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "draining in-flight requests");
  // stop() without force waits for in-flight requests, then closes the listener.
  await app.stop(false);
  await deps.webhookWorker.stop(); // finishes the deliveries in hand; the rest stay scheduled
  await Promise.allSettled([deps.db.sql.end({ timeout: 5 }), deps.db.replica.end({ timeout: 5 }), deps.redis.quit(), deps.tracing?.shutdown()]);
  log.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
