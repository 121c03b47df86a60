// Emitting an event: call `deps.webhooks.emit(tx, tenantId, type, object)`
// inside the transaction of the change. It writes one delivery per subscribed
// endpoint in that transaction (an outbox), so an event is sent if and only if
// the change committed; sending happens later, in the worker, never in the
// request.
import type { TenantSql } from "../../platform/db";
import type { DeliveryQueue } from "./queue";
import { insertDeliveries, subscribedEndpoints } from "./queries";
import type { WebhookEventType } from "./schema";

// The schedule entry is written before our transaction commits; a worker that
// looks before the commit finds no row and looks again (delivery.ts), so this
// grace only saves it a wasted look in the common case.
const COMMIT_GRACE_MS = 300;

export function createWebhookEvents(queue: DeliveryQueue) {
  async function emit(tx: TenantSql, tenantId: string, type: WebhookEventType, object: Record<string, unknown>) {
    const endpoints = await subscribedEndpoints(tx, tenantId, type);
    if (endpoints.length === 0) return;
    const event = { id: crypto.randomUUID(), type, tenant_id: tenantId, created_at: new Date().toISOString(), data: object };
    const deliveries = await insertDeliveries(tx, tenantId, { id: event.id, type, body: JSON.stringify(event) }, endpoints.map((endpoint) => endpoint.id));
    // Not awaited: a slow or absent Redis must not hold the caller's transaction;
    // the worker's recovery pass finds any delivery whose scheduling failed.
    void queue.schedule(tenantId, deliveries.map((delivery) => delivery.id), Date.now() + COMMIT_GRACE_MS).catch(() => {});
  }

  return { emit };
}

export type WebhookEvents = ReturnType<typeof createWebhookEvents>;
