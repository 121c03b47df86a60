// JSON API: POST/GET /api/documents, GET/DELETE /api/documents/:id,
// GET /api/documents/:id/download (SPEC §5).
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import { NotFound } from "../../platform/errors";
import { claimStreamed, idempotency } from "../../platform/idempotency";
import { toPage } from "../../platform/pagination";
import { attachmentDisposition } from "./filename";
import { authorizeDocument } from "./policy";
import { presentDocument, type DocumentRow } from "./present";
import { findDocument, listDocuments } from "./queries";
import { documentParams, listDocumentsQuery } from "./schema";
import { documentService } from "./service";
import type { ReceivedUpload } from "./upload";

/** Headers for serving a stored file: always a download, never rendered in our origin. */
export function downloadHeaders(document: DocumentRow): Record<string, string> {
  return {
    "Content-Type": document.content_type,
    "Content-Length": String(document.size),
    "Content-Disposition": attachmentDisposition(document.filename),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
  };
}

export function documentRoutes(deps: Deps, auth: AuthPlugin) {
  const { db } = deps;
  const documents = documentService(deps);

  return new Elysia({ prefix: "/api/documents" })
    .use(auth)
    .use(idempotency(deps.redis))
    .post(
      "/",
      async ({ actor, request, set }) => {
        // The same key with the same file and fields replays; with other bytes it is a 409.
        const claim = (received: ReceivedUpload) =>
          claimStreamed(deps.redis, request, actor, `${received.sha256}:${received.filename}:${JSON.stringify(received.fields)}`);
        const uploaded = await documents.upload(actor, request, claim);
        if ("replay" in uploaded) {
          set.status = uploaded.replay.status;
          set.headers["Idempotent-Replayed"] = "true";
          return uploaded.replay.body as ReturnType<typeof presentDocument>;
        }
        set.status = 201;
        return presentDocument(uploaded.document);
      },
      // The body is streamed by receiveUpload; Elysia must not buffer it first.
      { auth: "member", parse: "none", idempotent: "streamed" },
    )
    .get(
      "/",
      async ({ actor, query }) => {
        authorizeDocument(actor, "list");
        const rows = await db.withTenantRead(actor.tenantId, (tx) => listDocuments(tx, actor.tenantId, query));
        const page = toPage(rows, query.limit);
        return { data: page.data.map(presentDocument), next_cursor: page.nextCursor };
      },
      { auth: "member", query: listDocumentsQuery },
    )
    .get(
      "/:id",
      async ({ actor, params }) => {
        authorizeDocument(actor, "read");
        const document = await db.withTenant(actor.tenantId, (tx) => findDocument(tx, actor.tenantId, params.id));
        if (!document) throw NotFound("No such document.");
        return presentDocument(document);
      },
      { auth: "member", params: documentParams },
    )
    .get(
      "/:id/download",
      async ({ actor, params, request, set }) => {
        const { document, body } = await documents.download(actor, request, params.id);
        return new Response(body, { headers: { ...(set.headers as Record<string, string>), ...downloadHeaders(document) } });
      },
      { auth: "member", params: documentParams },
    )
    .delete(
      "/:id",
      async ({ actor, params, request, set }) => {
        await documents.remove(actor, request, params.id);
        set.status = 204;
      },
      { auth: "member", params: documentParams },
    );
}
