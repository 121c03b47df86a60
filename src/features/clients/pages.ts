// Dashboard pages for clients. Changes go through the same service as the
// JSON API (policy, audit row in the same transaction); htmx gets fragments,
// a plain form post gets redirect-after-post with a flash message.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import type { SessionActor } from "../../identity/page-auth";
import { NotFound } from "../../platform/errors";
import { parseForm } from "../../platform/forms";
import { toPage } from "../../platform/pagination";
import type { Shell } from "../../../views/layout";
import { html, isHtmx, page, redirect, type HtmlSet } from "../../../views/render";
import { listDocuments } from "../documents/queries";
import { findClient, listClients } from "./queries";
import { clientParams, createClientBody, listClientsQuery, updateClientBody } from "./schema";
import { clientService } from "./service";
import { ClientDetailContent, ClientEditRow, ClientResults, ClientRowView, ClientsContent, type ClientFormState, type ClientListView } from "./views";

const idOf = (params: { id: string }) => {
  const parsed = clientParams.safeParse(params);
  if (!parsed.success) throw NotFound("No such client.");
  return parsed.data.id;
};

export function clientPages(deps: Deps, auth: AuthPlugin) {
  const { db, sessions, config } = deps;
  const clients = clientService(deps);

  async function listView(actor: SessionActor, shell: Shell, query: Record<string, unknown>): Promise<ClientListView> {
    const parsed = listClientsQuery.safeParse({ ...query, status: query.status || undefined, q: query.q || undefined });
    const input = parsed.success ? parsed.data : { limit: 20 };
    const rows = await db.withTenantRead(actor.tenantId, (tx) => listClients(tx, actor.tenantId, input));
    const { data, nextCursor } = toPage(rows, input.limit);
    return { rows: data, nextCursor, filters: { q: "q" in input ? input.q : undefined, status: "status" in input ? input.status : undefined }, csrfToken: shell.csrfToken, cursor: "cursor" in input ? input.cursor : undefined };
  }

  async function renderList(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, form?: ClientFormState, query: Record<string, unknown> = {}) {
    const view = await listView(actor, shell, query);
    return page(request, set, { ...shell, title: "Clients", active: "clients" }, ClientsContent({ view, form }));
  }

  async function renderDetail(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, clientId: string, form?: ClientFormState) {
    const { client, documents } = await db.withTenant(actor.tenantId, async (tx) => ({
      client: await findClient(tx, actor.tenantId, clientId),
      documents: await listDocuments(tx, actor.tenantId, { client_id: clientId, limit: 20 }),
    }));
    if (!client) throw NotFound("No such client.");
    const docs = toPage(documents, 20);
    const documentsView = { rows: docs.data, nextCursor: docs.nextCursor, csrfToken: shell.csrfToken, clientId, maxUploadMb: config.MAX_UPLOAD_MB };
    return page(request, set, { ...shell, title: client.name, active: "clients" }, ClientDetailContent({ view: { client, csrfToken: shell.csrfToken, form, documents: documentsView } }));
  }

  return new Elysia({ prefix: "/clients" })
    .use(auth)
    .get("/", ({ request, set, actor, shell, query }) => renderList(request, set, actor, shell, undefined, query), { page: "member" })
    .get("/results", async ({ set, actor, shell, query }) => html(set, ClientResults({ view: await listView(actor, shell, query) })), { page: "member" })
    .post(
      "/",
      async ({ request, set, actor, shell, body }) => {
        const form = parseForm(createClientBody.strip(), body);
        if (!form.ok) {
          set.status = isHtmx(request) ? 200 : 422;
          return renderList(request, set, actor, shell, { errors: form.errors, values: form.values });
        }
        const client = await clients.create(actor, request, form.data);
        const flash = { kind: "success" as const, message: `${client.name} was added.` };
        if (isHtmx(request)) return renderList(request, set, actor, { ...shell, flash: [flash] });
        await sessions.setFlash(actor.session.id, flash);
        return redirect(request, set, `/clients/${client.id}`);
      },
      { page: "member" },
    )
    .get("/:id", ({ request, set, actor, shell, params }) => renderDetail(request, set, actor, shell, idOf(params)), { page: "member" })
    .get(
      "/:id/edit",
      async ({ set, actor, shell, params }) => {
        const client = await db.withTenant(actor.tenantId, (tx) => findClient(tx, actor.tenantId, idOf(params)));
        if (!client) throw NotFound("No such client.");
        return html(set, ClientEditRow({ client, csrfToken: shell.csrfToken }));
      },
      { page: "member" },
    )
    .get(
      "/:id/row",
      async ({ set, actor, shell, params }) => {
        const client = await db.withTenant(actor.tenantId, (tx) => findClient(tx, actor.tenantId, idOf(params)));
        if (!client) throw NotFound("No such client.");
        return html(set, ClientRowView({ client, csrfToken: shell.csrfToken }));
      },
      { page: "member" },
    )
    .post(
      "/:id/row",
      async ({ request, set, actor, shell, params, body }) => {
        const clientId = idOf(params);
        const form = parseForm(updateClientBody.strip(), body);
        if (!form.ok) {
          const client = await db.withTenant(actor.tenantId, (tx) => findClient(tx, actor.tenantId, clientId));
          if (!client) throw NotFound("No such client.");
          return html(set, ClientEditRow({ client, csrfToken: shell.csrfToken, state: { errors: form.errors, values: form.values } }));
        }
        const client = await clients.update(actor, request, clientId, form.data);
        return html(set, ClientRowView({ client, csrfToken: shell.csrfToken }));
      },
      { page: "member" },
    )
    .post(
      "/:id",
      async ({ request, set, actor, shell, params, body }) => {
        const clientId = idOf(params);
        const form = parseForm(updateClientBody.strip(), body);
        if (!form.ok) {
          set.status = isHtmx(request) ? 200 : 422;
          return renderDetail(request, set, actor, shell, clientId, { errors: form.errors, values: form.values });
        }
        await clients.update(actor, request, clientId, form.data);
        const flash = { kind: "success" as const, message: "Changes saved." };
        if (isHtmx(request)) return renderDetail(request, set, actor, { ...shell, flash: [flash] }, clientId);
        await sessions.setFlash(actor.session.id, flash);
        return redirect(request, set, `/clients/${clientId}`);
      },
      { page: "member" },
    )
    .post(
      "/:id/delete",
      async ({ request, set, actor, params, body }) => {
        const client = await clients.remove(actor, request, idOf(params));
        // From the list, htmx swaps the row away; elsewhere, back to the list.
        if (isHtmx(request) && (body as { from?: string } | undefined)?.from === "list") return html(set, "");
        await sessions.setFlash(actor.session.id, { kind: "success", message: `${client.name} was deleted.` });
        return redirect(request, set, "/clients");
      },
      { page: "member" },
    );
}
