// Webhook SQL, tenant-scoped twice (withTenant for RLS, and `where tenant_id`).
import type { TenantSql } from "../../platform/db";
import { CURSOR_AT_FORMAT, decodeCursor } from "../../platform/pagination";
import type { DeliveryRow, WebhookRow } from "./present";
import type { CreateWebhookInput, WebhookEventType } from "./schema";

type Page = { limit: number; cursor?: string };

const endpointColumns = (tx: TenantSql) =>
  tx`id, url, events, description, secret_prefix, created_at, to_char(created_at at time zone 'UTC', ${CURSOR_AT_FORMAT}) as cursor_at`;

export async function listWebhooks(tx: TenantSql, tenantId: string, page: Page) {
  const after = decodeCursor(page.cursor);
  return tx<WebhookRow[]>`
    select ${endpointColumns(tx)} from webhook_endpoints
    where tenant_id = ${tenantId}
      ${after ? tx`and (created_at, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx``}
    order by created_at desc, id desc
    limit ${page.limit + 1}`;
}

export async function findWebhook(tx: TenantSql, tenantId: string, webhookId: string) {
  const [row] = await tx<WebhookRow[]>`select ${endpointColumns(tx)} from webhook_endpoints where tenant_id = ${tenantId} and id = ${webhookId}`;
  return row;
}

export async function insertWebhook(
  tx: TenantSql,
  tenantId: string,
  input: CreateWebhookInput,
  secret: { sealed: Buffer; prefix: string; createdBy: string | null },
) {
  const [row] = await tx<WebhookRow[]>`
    insert into webhook_endpoints (tenant_id, url, events, description, secret_ciphertext, secret_prefix, created_by)
    values (${tenantId}, ${input.url}, ${input.events}::text[], ${input.description ?? null}, ${secret.sealed}, ${secret.prefix}, ${secret.createdBy})
    returning ${endpointColumns(tx)}`;
  return row!;
}

export async function deleteWebhook(tx: TenantSql, tenantId: string, webhookId: string) {
  const [row] = await tx<{ id: string; url: string }[]>`
    delete from webhook_endpoints where tenant_id = ${tenantId} and id = ${webhookId} returning id, url`;
  return row;
}

/** Endpoints of the tenant subscribed to `type`. */
export async function subscribedEndpoints(tx: TenantSql, tenantId: string, type: WebhookEventType) {
  return tx<{ id: string }[]>`select id from webhook_endpoints where tenant_id = ${tenantId} and ${type} = any(events)`;
}

export async function insertDeliveries(
  tx: TenantSql,
  tenantId: string,
  event: { id: string; type: WebhookEventType; body: string },
  endpointIds: string[],
) {
  if (endpointIds.length === 0) return [];
  return tx<{ id: string }[]>`
    insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, body)
    select ${tenantId}, endpoint_id, ${event.id}, ${event.type}, ${event.body}
    from unnest(${endpointIds}::uuid[]) as endpoint_id
    returning id`;
}

const deliveryColumns = (tx: TenantSql) =>
  tx`d.id, d.event_id, d.event_type, d.status, d.attempts, d.last_status_code, d.next_attempt_at, d.created_at,
     to_char(d.created_at at time zone 'UTC', ${CURSOR_AT_FORMAT}) as cursor_at,
     coalesce((select json_agg(json_build_object('attempt', a.attempt, 'status_code', a.status_code, 'error', a.error,
                 'duration_ms', a.duration_ms, 'created_at', a.created_at) order by a.attempt)
               from webhook_attempts a where a.tenant_id = d.tenant_id and a.delivery_id = d.id), '[]') as attempt_log`;

export async function listDeliveries(tx: TenantSql, tenantId: string, webhookId: string, page: Page) {
  const after = decodeCursor(page.cursor);
  return tx<DeliveryRow[]>`
    select ${deliveryColumns(tx)} from webhook_deliveries d
    where d.tenant_id = ${tenantId} and d.endpoint_id = ${webhookId}
      ${after ? tx`and (d.created_at, d.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : tx``}
    order by d.created_at desc, d.id desc
    limit ${page.limit + 1}`;
}

/** A fresh delivery of an earlier one's exact body (same event id, so receivers can de-duplicate). */
export async function copyDelivery(tx: TenantSql, tenantId: string, webhookId: string, deliveryId: string) {
  const [row] = await tx<DeliveryRow[]>`
    with copy as (
      insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, body)
      select tenant_id, endpoint_id, event_id, event_type, body from webhook_deliveries
      where tenant_id = ${tenantId} and endpoint_id = ${webhookId} and id = ${deliveryId}
      returning *)
    select ${deliveryColumns(tx)} from copy d`;
  return row;
}

// --- the delivery worker's side ---

export type DueDelivery = { id: string; attempts: number; body: string; event_id: string; event_type: string; url: string; secret_ciphertext: Buffer };

export async function findPendingDelivery(tx: TenantSql, tenantId: string, deliveryId: string) {
  const [row] = await tx<DueDelivery[]>`
    select d.id, d.attempts, d.body, d.event_id, d.event_type, e.url, e.secret_ciphertext
    from webhook_deliveries d join webhook_endpoints e on e.tenant_id = d.tenant_id and e.id = d.endpoint_id
    where d.tenant_id = ${tenantId} and d.id = ${deliveryId} and d.status = 'pending'`;
  return row;
}

export type AttemptResult = { statusCode: number | null; error: string | null; excerpt: string | null; durationMs: number };

export async function recordAttempt(
  tx: TenantSql,
  tenantId: string,
  deliveryId: string,
  attempt: number,
  result: AttemptResult,
  outcome: { status: "pending" | "succeeded" | "failed"; nextAttemptAt: Date },
) {
  await tx`insert into webhook_attempts (tenant_id, delivery_id, attempt, status_code, error, response_excerpt, duration_ms)
    values (${tenantId}, ${deliveryId}, ${attempt}, ${result.statusCode}, ${result.error}, ${result.excerpt}, ${result.durationMs})`;
  await tx`update webhook_deliveries set attempts = ${attempt}, status = ${outcome.status}, last_status_code = ${result.statusCode},
      next_attempt_at = ${outcome.nextAttemptAt}, updated_at = now(),
      completed_at = ${outcome.status === "pending" ? null : new Date()}
    where tenant_id = ${tenantId} and id = ${deliveryId}`;
}
