// Webhook schemas: one source for the API body, the settings form and OpenAPI.
import { z } from "zod";
import { pageQuery } from "../../platform/pagination";

export const WEBHOOK_EVENTS = [
  "client.created",
  "client.updated",
  "client.deleted",
  "document.uploaded",
  "document.deleted",
  "user.invited",
  "user.joined",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

// Forms send one checkbox value (a string) or several (an array).
const events = z.preprocess(
  (value) => (typeof value === "string" ? [value] : value),
  z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, "choose at least one event")
    .transform((list) => [...new Set(list)]),
);

export const createWebhookBody = z
  .object({
    url: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).max(2048),
    events,
    description: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().max(200).optional()),
  })
  .strict();

export const webhookParams = z.object({ id: z.uuid() });
export const deliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });
export const listWebhooksQuery = z.object(pageQuery);

export const webhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  description: z.string().nullable(),
  secret_prefix: z.string().describe("The first characters of the signing secret."),
  created_at: z.iso.datetime(),
});

export const createdWebhookSchema = webhookSchema.extend({
  secret: z.string().describe("The signing secret, `whsec_…`. Shown in this response only: store it now."),
});

export const webhookListSchema = z.object({ data: z.array(webhookSchema), next_cursor: z.string().nullable() });

export const attemptSchema = z.object({
  attempt: z.int(),
  status_code: z.int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.int(),
  created_at: z.iso.datetime(),
});

export const deliverySchema = z.object({
  id: z.uuid(),
  event_id: z.uuid(),
  event_type: z.enum(WEBHOOK_EVENTS),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.int(),
  last_status_code: z.int().nullable(),
  next_attempt_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  attempt_log: z.array(attemptSchema),
});

export const deliveryListSchema = z.object({ data: z.array(deliverySchema), next_cursor: z.string().nullable() });

export type CreateWebhookInput = z.infer<typeof createWebhookBody>;
