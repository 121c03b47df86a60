// Document upload, download and deletion, shared by the JSON API and the
// dashboard. The database row exists only while its object does.
import type { Deps } from "../../app";
import type { Actor } from "../../identity/auth";
import { Invalid, NotFound } from "../../platform/errors";
import { objectKey } from "../../platform/storage";
import { auditActorOf, auditContext, recordAudit } from "../audit/record";
import { authorizeDocument } from "./policy";
import { presentDocument, type DocumentRow } from "./present";
import { clientExists, deleteDocument, findDocument, insertDocument } from "./queries";
import { uploadFields } from "./schema";
import { receiveUpload, type ReceivedUpload } from "./upload";
import type { Replay } from "../../platform/idempotency";

type Claim = (received: ReceivedUpload) => Promise<Replay | undefined>;

export function documentService(deps: Deps) {
  const { db, storage, config, log } = deps;
  const maxBytes = config.MAX_UPLOAD_MB * 1024 * 1024;

  /**
   * Streams the file to storage, then writes its row. `claim` (Idempotency-Key)
   * sees the stored bytes' digest first and may answer with an earlier
   * response instead, in which case the new object is removed again.
   */
  function upload(actor: Actor, request: Request): Promise<{ document: DocumentRow }>;
  function upload(actor: Actor, request: Request, claim: Claim): Promise<{ document: DocumentRow } | { replay: Replay }>;
  async function upload(actor: Actor, request: Request, claim?: Claim): Promise<{ document: DocumentRow } | { replay: Replay }> {
    authorizeDocument(actor, "upload");
    const documentId = crypto.randomUUID();
    const key = objectKey(actor.tenantId, documentId);
    try {
      // Object first, row second: a reader can never find a row without its bytes.
      const received = await receiveUpload(request, { storage, key, maxBytes });
      const fields = uploadFields.safeParse(received.fields);
      if (!fields.success) throw Invalid("The request is not valid.", [{ field: "client_id", message: "must be a client id" }]);
      const clientId = fields.data.client_id ?? null;
      const replay = await claim?.(received);
      if (replay) {
        await storage.remove(key);
        return { replay };
      }
      const document = await db.withTenant(actor.tenantId, async (tx) => {
        if (clientId && !(await clientExists(tx, actor.tenantId, clientId))) {
          throw Invalid("The request is not valid.", [{ field: "client_id", message: "no such client" }]);
        }
        const document = await insertDocument(tx, actor.tenantId, {
          id: documentId,
          clientId,
          filename: received.filename,
          contentType: received.contentType,
          size: received.size,
          sha256: received.sha256,
          storageKey: key,
          uploadedBy: "userId" in actor ? actor.userId : null,
        });
        await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
          action: "documents.upload",
          target: { type: "document", id: document.id },
          details: { filename: document.filename, size: received.size, sha256: received.sha256, client_id: clientId },
        });
        await deps.webhooks.emit(tx, actor.tenantId, "document.uploaded", presentDocument(document));
        return document;
      });
      return { document };
    } catch (error) {
      // Whatever failed after the bytes may have landed (validation, the
      // database), the object goes too: no orphans either way.
      await storage.remove(key).catch((cleanup: Error) => log.warn({ key, err: cleanup.message }, "could not remove an orphaned upload"));
      throw error;
    }
  }

  /** The document and its bytes; the download is audited when the bytes are found. */
  async function download(actor: Actor, request: Request, documentId: string) {
    authorizeDocument(actor, "download");
    return db.withTenant(actor.tenantId, async (tx) => {
      const document = await findDocument(tx, actor.tenantId, documentId);
      if (!document) throw NotFound("No such document.");
      const body = await storage.get(document.storage_key);
      if (!body) throw NotFound("The file of this document is missing.");
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "documents.download",
        target: { type: "document", id: document.id },
      });
      return { document, body };
    });
  }

  async function remove(actor: Actor, request: Request, documentId: string) {
    authorizeDocument(actor, "delete");
    return db.withTenant(actor.tenantId, async (tx) => {
      const document = await deleteDocument(tx, actor.tenantId, documentId);
      if (!document) throw NotFound("No such document.");
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "documents.delete",
        target: { type: "document", id: document.id },
        details: { filename: document.filename },
      });
      await deps.webhooks.emit(tx, actor.tenantId, "document.deleted", { id: document.id, filename: document.filename });
      // Inside the transaction: if storage refuses, the row stays and the caller gets a 503.
      await storage.remove(document.storage_key);
      return document;
    });
  }

  return { upload, download, remove };
}

export type DocumentService = ReturnType<typeof documentService>;
