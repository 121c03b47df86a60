// Dashboard pages for documents: the list, the cookie-authenticated upload
// the uploader posts to (CSRF in X-CSRF-Token), download and delete.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import type { SessionActor } from "../../identity/page-auth";
import { NotFound } from "../../platform/errors";
import { toPage } from "../../platform/pagination";
import type { Shell } from "../../../views/layout";
import { html, isHtmx, page, redirect } from "../../../views/render";
import { clientNames } from "../clients/queries";
import { presentDocument } from "./present";
import { listDocuments, storageUsed } from "./queries";
import { downloadHeaders } from "./routes";
import { documentParams, listDocumentsQuery } from "./schema";
import { documentService } from "./service";
import { DocumentList, DocumentsContent, type DocumentsCardView } from "./views";

const idOf = (params: { id: string }) => {
  const parsed = documentParams.safeParse(params);
  if (!parsed.success) throw NotFound("No such document.");
  return parsed.data.id;
};

// Only our own pages are valid places to return to after a plain-form delete.
const safeNext = (next: unknown) => (typeof next === "string" && /^\/(documents|clients\/[0-9a-f-]{36})$/.test(next) ? next : "/documents");

export function documentPages(deps: Deps, auth: AuthPlugin) {
  const { db, sessions, config } = deps;
  const documents = documentService(deps);

  async function listView(actor: SessionActor, shell: Shell, query: Record<string, unknown>) {
    const parsed = listDocumentsQuery.safeParse(query);
    const input = parsed.success ? parsed.data : { limit: 20 };
    const { rows, names, storage } = await db.withTenantRead(actor.tenantId, async (tx) => {
      const rows = await listDocuments(tx, actor.tenantId, input);
      const ids = [...new Set(rows.map((row) => row.client_id).filter((id): id is string => Boolean(id)))];
      return { rows, names: await clientNames(tx, actor.tenantId, ids), storage: await storageUsed(tx, actor.tenantId) };
    });
    const { data, nextCursor } = toPage(rows, input.limit);
    const view: DocumentsCardView = {
      rows: data.map((row) => ({ ...row, client_name: row.client_id ? names.get(row.client_id) ?? null : null })),
      nextCursor,
      csrfToken: shell.csrfToken,
      clientId: "client_id" in input ? input.client_id : undefined,
      maxUploadMb: config.MAX_UPLOAD_MB,
      showClient: !("client_id" in input && input.client_id),
    };
    return { view, storage };
  }

  return new Elysia({ prefix: "/documents" })
    .use(auth)
    .get(
      "/",
      async ({ request, set, actor, shell, query }) => {
        const { view, storage } = await listView(actor, shell, query);
        return page(request, set, { ...shell, title: "Documents", active: "documents" }, DocumentsContent({ view, storage }));
      },
      { page: "member" },
    )
    .get("/list", async ({ set, actor, shell, query }) => html(set, DocumentList({ view: (await listView(actor, shell, query)).view })), { page: "member" })
    .post(
      "/",
      async ({ request, set, actor }) => {
        const { document } = await documents.upload(actor, request);
        set.status = 201;
        set.headers["content-type"] = "application/json";
        return presentDocument(document);
      },
      // Streamed like the API route: Elysia must not buffer the body.
      { page: "member", parse: "none" },
    )
    .get(
      "/:id/download",
      async ({ request, set, actor, params }) => {
        const { document, body } = await documents.download(actor, request, idOf(params));
        return new Response(body, { headers: { ...(set.headers as Record<string, string>), ...downloadHeaders(document) } });
      },
      { page: "member" },
    )
    .post(
      "/:id/delete",
      async ({ request, set, actor, params, body }) => {
        const document = await documents.remove(actor, request, idOf(params));
        if (isHtmx(request)) {
          // The item goes away at once; the list then refreshes (counts, empty state).
          set.headers["hx-trigger"] = "documents-changed";
          return html(set, "");
        }
        await sessions.setFlash(actor.session.id, { kind: "success", message: `${document.filename} was deleted.` });
        return redirect(request, set, safeNext((body as { next?: unknown } | undefined)?.next));
      },
      { page: "member" },
    );
}
