// JSON API: GET/POST /api/webhooks, GET/DELETE /api/webhooks/:id,
// GET /api/webhooks/:id/deliveries, POST …/deliveries/:deliveryId/resend.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { NotFound } from "../../platform/errors";
import { idempotency } from "../../platform/idempotency";
import { toPage } from "../../platform/pagination";
import { authorizeWebhook } from "./policy";
import { presentDelivery, presentWebhook } from "./present";
import { findWebhook, listDeliveries, listWebhooks } from "./queries";
import {
  createdWebhookSchema,
  createWebhookBody,
  deliveryListSchema,
  deliveryParams,
  deliverySchema,
  listWebhooksQuery,
  webhookListSchema,
  webhookParams,
  webhookSchema,
} from "./schema";
import { webhookService } from "./service";

const tags = ["Webhooks"];

export function webhookRoutes(deps: Deps, auth: AuthPlugin) {
  const { db } = deps;
  const webhooks = webhookService(deps, deps.webhookResolver);

  return new Elysia({ prefix: "/api/webhooks" })
    .use(auth)
    .use(idempotency(deps.redis))
    .get(
      "/",
      async ({ actor, query }) => {
        authorizeWebhook(actor, "list");
        const rows = await db.withTenantRead(actor.tenantId, (tx) => listWebhooks(tx, actor.tenantId, query));
        const page = toPage(rows, query.limit);
        return { data: page.data.map(presentWebhook), next_cursor: page.nextCursor };
      },
      { auth: "admin", query: listWebhooksQuery, response: { 200: webhookListSchema }, detail: { summary: "List webhook endpoints", tags } },
    )
    .post(
      "/",
      async ({ actor, body, request, set }) => {
        set.status = 201;
        return webhooks.create(actor, request, body);
      },
      {
        auth: "admin",
        idempotent: true,
        body: createWebhookBody,
        response: { 201: createdWebhookSchema },
        detail: {
          summary: "Register a webhook endpoint (the signing secret is shown in this response only)",
          description: "Private, loopback and link-local targets are refused with 422. See docs/webhooks.md for the payload and signature.",
          tags,
        },
      },
    )
    .get(
      "/:id",
      async ({ actor, params }) => {
        authorizeWebhook(actor, "read");
        const row = await db.withTenantRead(actor.tenantId, (tx) => findWebhook(tx, actor.tenantId, params.id));
        if (!row) throw NotFound("No such webhook.");
        return presentWebhook(row);
      },
      { auth: "admin", params: webhookParams, response: { 200: webhookSchema }, detail: { summary: "Get a webhook endpoint", tags } },
    )
    .delete(
      "/:id",
      async ({ actor, params, request, set }) => {
        await webhooks.remove(actor, request, params.id);
        set.status = 204;
      },
      { auth: "admin", params: webhookParams, detail: { summary: "Delete a webhook endpoint (pending deliveries are dropped)", tags } },
    )
    .get(
      "/:id/deliveries",
      async ({ actor, params, query }) => {
        authorizeWebhook(actor, "read");
        const page = await db.withTenantRead(actor.tenantId, async (tx) => {
          if (!(await findWebhook(tx, actor.tenantId, params.id))) throw NotFound("No such webhook.");
          return toPage(await listDeliveries(tx, actor.tenantId, params.id, query), query.limit);
        });
        return { data: page.data.map(presentDelivery), next_cursor: page.nextCursor };
      },
      {
        auth: "admin",
        params: webhookParams,
        query: listWebhooksQuery,
        response: { 200: deliveryListSchema },
        detail: { summary: "Delivery log of an endpoint, newest first, with every attempt", tags },
      },
    )
    .post(
      "/:id/deliveries/:deliveryId/resend",
      async ({ actor, params, request, set }) => {
        set.status = 202;
        return webhooks.resend(actor, request, params.id, params.deliveryId);
      },
      { auth: "admin", params: deliveryParams, response: { 202: deliverySchema }, detail: { summary: "Send a delivery's payload again", tags } },
    );
}
