// Row → API JSON. Explicit fields only: the sealed secret never leaves the database.
import type { WebhookEventType } from "./schema";

export type WebhookRow = {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  secret_prefix: string;
  created_at: Date;
  cursor_at: string;
};

export type AttemptRow = { attempt: number; status_code: number | null; error: string | null; duration_ms: number; created_at: Date };

export type DeliveryRow = {
  id: string;
  event_id: string;
  event_type: WebhookEventType;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  last_status_code: number | null;
  next_attempt_at: Date;
  created_at: Date;
  cursor_at: string;
  attempt_log: AttemptRow[];
};

export const presentWebhook = (webhook: WebhookRow) => ({
  id: webhook.id,
  url: webhook.url,
  events: webhook.events,
  description: webhook.description,
  secret_prefix: webhook.secret_prefix,
  created_at: webhook.created_at.toISOString(),
});

const presentAttempt = (attempt: AttemptRow) => ({
  attempt: attempt.attempt,
  status_code: attempt.status_code,
  error: attempt.error,
  duration_ms: attempt.duration_ms,
  created_at: new Date(attempt.created_at).toISOString(),
});

export const presentDelivery = (delivery: DeliveryRow) => ({
  id: delivery.id,
  event_id: delivery.event_id,
  event_type: delivery.event_type,
  status: delivery.status,
  attempts: delivery.attempts,
  last_status_code: delivery.last_status_code,
  next_attempt_at: delivery.status === "pending" ? delivery.next_attempt_at.toISOString() : null,
  created_at: delivery.created_at.toISOString(),
  attempt_log: delivery.attempt_log.map(presentAttempt),
});
