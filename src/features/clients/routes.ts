// JSON API: GET/POST /api/clients, GET/PATCH/DELETE /api/clients/:id (SPEC §5).
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { NotFound } from "../../platform/errors";
import { idempotency } from "../../platform/idempotency";
import { toPage } from "../../platform/pagination";
import { authorizeClient } from "./policy";
import { presentClient } from "./present";
import { findClient, listClients } from "./queries";
import { clientParams, createClientBody, listClientsQuery, updateClientBody } from "./schema";
import { clientService } from "./service";

export function clientRoutes(deps: Deps, auth: AuthPlugin) {
  const { db } = deps;
  const clients = clientService(deps);

  return new Elysia({ prefix: "/api/clients" })
    .use(auth)
    .use(idempotency(deps.redis))
    .get(
      "/",
      async ({ actor, query }) => {
        authorizeClient(actor, "list");
        const rows = await db.withTenantRead(actor.tenantId, (tx) => listClients(tx, actor.tenantId, query));
        const page = toPage(rows, query.limit);
        return { data: page.data.map(presentClient), next_cursor: page.nextCursor };
      },
      { auth: "member", query: listClientsQuery },
    )
    .post(
      "/",
      async ({ actor, body, request, set }) => {
        const client = await clients.create(actor, request, body);
        set.status = 201;
        return presentClient(client);
      },
      { auth: "member", idempotent: true, body: createClientBody },
    )
    .get(
      "/:id",
      async ({ actor, params }) => {
        authorizeClient(actor, "read");
        const client = await db.withTenant(actor.tenantId, (tx) => findClient(tx, actor.tenantId, params.id));
        if (!client) throw NotFound("No such client.");
        return presentClient(client);
      },
      { auth: "member", params: clientParams },
    )
    .patch(
      "/:id",
      async ({ actor, params, body, request }) => presentClient(await clients.update(actor, request, params.id, body)),
      { auth: "member", params: clientParams, body: updateClientBody },
    )
    .delete(
      "/:id",
      async ({ actor, params, request, set }) => {
        await clients.remove(actor, request, params.id);
        set.status = 204;
      },
      { auth: "member", params: clientParams },
    );
}
