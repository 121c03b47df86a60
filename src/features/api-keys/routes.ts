// JSON API: GET/POST /api/api-keys, DELETE /api/api-keys/:id (SPEC §5).
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { idempotency } from "../../platform/idempotency";
import { toPage } from "../../platform/pagination";
import { authorizeApiKey } from "./policy";
import { presentApiKey } from "./present";
import { listApiKeys } from "./queries";
import { apiKeyListSchema, apiKeyParams, createApiKeyBody, createdApiKeySchema, listApiKeysQuery } from "./schema";
import { apiKeyService } from "./service";

const tags = ["API keys"];

export function apiKeyRoutes(deps: Deps, auth: AuthPlugin) {
  const { db } = deps;
  const apiKeys = apiKeyService(deps);

  return new Elysia({ prefix: "/api/api-keys" })
    .use(auth)
    .use(idempotency(deps.redis))
    .get(
      "/",
      async ({ actor, query }) => {
        authorizeApiKey(actor, "list");
        const rows = await db.withTenantRead(actor.tenantId, (tx) => listApiKeys(tx, actor.tenantId, query));
        const page = toPage(rows, query.limit);
        return { data: page.data.map(presentApiKey), next_cursor: page.nextCursor };
      },
      { auth: "admin", query: listApiKeysQuery, response: { 200: apiKeyListSchema }, detail: { summary: "List API keys", tags } },
    )
    .post(
      "/",
      async ({ actor, body, request, set }) => {
        set.status = 201;
        return apiKeys.create(actor, request, body);
      },
      {
        auth: "admin",
        idempotent: true,
        body: createApiKeyBody,
        response: { 201: createdApiKeySchema },
        detail: { summary: "Create an API key (the key is shown in this response only)", tags },
      },
    )
    .delete(
      "/:id",
      async ({ actor, params, request, set }) => {
        await apiKeys.revoke(actor, request, params.id);
        set.status = 204;
      },
      { auth: "admin", params: apiKeyParams, detail: { summary: "Revoke an API key (effective immediately)", tags } },
    );
}
