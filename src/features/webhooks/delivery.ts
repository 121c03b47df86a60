// The delivery worker: runs in every app process (started by main.ts), claims
// due deliveries from the Redis schedule, POSTs them signed, records each
// attempt, and retries failures with exponential back-off. At-least-once:
// receivers de-duplicate by the event `id` (docs/webhooks.md).
import type { Config } from "../../config";
import type { Database } from "../../platform/db";
import type { Logger } from "../../platform/log";
import type { SecretBox } from "../../platform/secret-box";
import { findPendingDelivery, recordAttempt } from "./queries";
import type { DeliveryQueue, QueuedDelivery } from "./queue";
import { sendWebhook } from "./sender";
import type { Resolver } from "./ssrf";

const BATCH = 10;
const RECOVER_EVERY_MS = 60_000;
// A delivery row that is still not visible this long after its schedule entry
// belonged to a rolled-back transaction: forget it.
const MISSING_GIVE_UP_MS = 60_000;
const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;

export type WorkerOptions = { pollMs?: number; resolver?: Resolver };

export function createDeliveryWorker(deps: {
  db: Database;
  queue: DeliveryQueue;
  config: Config;
  log: Logger;
  secretBox: SecretBox;
  options?: WorkerOptions;
}) {
  const { db, queue, config, log, secretBox } = deps;
  const pollMs = deps.options?.pollMs ?? 500;
  const leaseMs = config.WEBHOOK_TIMEOUT_MS + 20_000;
  const missingSince = new Map<string, number>();
  let running = false;
  let loop: Promise<void> | undefined;
  let lastRecovery = 0;

  /** Base × 2^(attempt−1), ±20 % jitter so a fleet of failures does not retry in lock-step. */
  function backoffMs(attempt: number) {
    const exact = Math.min(config.WEBHOOK_RETRY_BASE_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
    return Math.round(exact * (0.8 + Math.random() * 0.4));
  }

  async function deliver(item: QueuedDelivery) {
    const due = await db.withTenant(item.tenantId, (tx) => findPendingDelivery(tx, item.tenantId, item.deliveryId));
    if (!due) return notFound(item);
    missingSince.delete(item.member);
    const attempt = due.attempts + 1;
    const result = await sendWebhook(
      {
        url: due.url,
        body: due.body,
        secret: secretBox.open(due.secret_ciphertext),
        headers: { "Aggios-Event": due.event_type, "Aggios-Event-Id": due.event_id, "Aggios-Delivery": due.id, "Aggios-Attempt": String(attempt) },
      },
      { allowedHosts: config.WEBHOOK_ALLOWED_HOSTS, timeoutMs: config.WEBHOOK_TIMEOUT_MS, maxResponseBytes: 64 * 1024, resolver: deps.options?.resolver },
    );
    const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const final = succeeded || attempt >= config.WEBHOOK_MAX_ATTEMPTS;
    const nextAttemptAt = new Date(Date.now() + backoffMs(attempt));
    const status = succeeded ? "succeeded" : final ? "failed" : "pending";
    await db.withTenant(item.tenantId, (tx) => recordAttempt(tx, item.tenantId, item.deliveryId, attempt, result, { status, nextAttemptAt }));
    if (final) await queue.finish(item);
    else await queue.retryAt(item, nextAttemptAt.getTime());
  }

  // Not pending: finished, its endpoint deleted, or its transaction not yet
  // committed (or rolled back). Only the last case deserves another look.
  async function notFound(item: QueuedDelivery) {
    const [row] = await db.withTenant(item.tenantId, (tx) => tx`select status from webhook_deliveries where tenant_id = ${item.tenantId} and id = ${item.deliveryId}`);
    const firstMiss = missingSince.get(item.member) ?? Date.now();
    if (row || Date.now() - firstMiss > MISSING_GIVE_UP_MS) {
      missingSince.delete(item.member);
      return queue.finish(item);
    }
    missingSince.set(item.member, firstMiss);
    await queue.retryAt(item, Date.now() + 1_000);
  }

  /** One pass: claims what is due and delivers it. Returns how many it handled. */
  async function tick(): Promise<number> {
    if (Date.now() - lastRecovery > RECOVER_EVERY_MS) {
      lastRecovery = Date.now();
      await queue.recover(db.sql);
    }
    const items = await queue.claim(BATCH, leaseMs);
    await Promise.all(
      items.map((item) =>
        deliver(item).catch((error) => log.warn({ err: (error as Error).message, delivery_id: item.deliveryId }, "webhook delivery failed to run")),
      ),
    );
    return items.length;
  }

  async function run() {
    while (running) {
      const handled = await tick().catch((error) => {
        log.warn({ err: (error as Error).message }, "webhook worker pass failed"); // Redis or Postgres away: try again
        return 0;
      });
      if (handled === 0 && running) await Bun.sleep(pollMs);
    }
  }

  return {
    tick,
    /** Starts the loop; the first pass re-indexes everything Postgres still owes. */
    start() {
      if (running) return;
      running = true;
      lastRecovery = 0;
      loop = run();
    },
    /** Finishes the deliveries in hand, then stops (SIGTERM). */
    async stop() {
      running = false;
      await loop;
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
