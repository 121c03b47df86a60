// Document lists and the uploader, shared by /documents and /clients/:id.
import { Button, buttonClass, Card, CsrfField, EmptyState, formatDate, PageHeader } from "../../../views/components";
import type { DocumentRow } from "./present";

export type DocumentsCardView = {
  rows: (DocumentRow & { client_name?: string | null })[];
  nextCursor: string | null;
  csrfToken: string;
  clientId?: string;
  maxUploadMb: number;
  showClient?: boolean;
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const listUrl = (view: Pick<DocumentsCardView, "clientId">, cursor?: string) => {
  const params = new URLSearchParams();
  if (view.clientId) params.set("client_id", view.clientId);
  if (cursor) params.set("cursor", cursor);
  return `/documents/list${params.size ? `?${params}` : ""}`;
};

/**
 * Drag-and-drop upload with a progress bar. htmx 4 reports no upload
 * progress, so the `uploader` component (views/client/app.js) sends each file
 * with XMLHttpRequest, then asks the list below to refresh itself.
 */
export function Uploader({ view }: { view: DocumentsCardView }) {
  return (
    <div
      x-data="uploader"
      data-url="/documents"
      data-csrf={view.csrfToken}
      data-client-id={view.clientId ?? ""}
      data-max-bytes={String(view.maxUploadMb * 1024 * 1024)}
      x-on:dragover="over"
      x-on:dragleave="leave"
      x-on:drop="drop"
      x-bind:class="zoneClass"
      class="rounded-xl border-2 border-dashed border-slate-300 bg-slate-50 px-4 py-6 text-center transition"
      id="uploader"
    >
      <p class="text-sm text-slate-700">
        Drop files here, or{" "}
        <label for="upload-input" class="cursor-pointer font-semibold text-indigo-700 underline focus-within:outline-2">
          choose files
        </label>
        <input id="upload-input" type="file" multiple class="sr-only" x-on:change="choose" />
      </p>
      <p class="mt-1 text-xs text-slate-600" safe>
        {`Up to ${view.maxUploadMb} MB per file.`}
      </p>
      <div class="mt-3 space-y-1" x-show="busy" x-cloak>
        <progress id="upload-progress" max="100" value="0" x-bind:value="progress" class="h-2 w-full" aria-label="Upload progress"></progress>
        <p class="text-xs text-slate-700" x-text="status"></p>
      </div>
      <p class="mt-2 text-sm" role="status" aria-live="polite" x-text="message" x-bind:class="messageClass"></p>
    </div>
  );
}

export function DocumentList({ view }: { view: DocumentsCardView }) {
  const refresh = { "hx-get": listUrl(view), "hx-trigger": "documents-changed from:body", "hx-swap": "outerHTML" };
  if (view.rows.length === 0) {
    return (
      <div id="document-list" {...refresh}>
        <EmptyState title="No documents yet." />
      </div>
    );
  }
  const next = view.nextCursor ? listUrl(view, view.nextCursor) : undefined;
  return (
    <div id="document-list" {...refresh}>
      <ul class="divide-y divide-slate-100" role="list">
        {view.rows.map((document) => (
          <li id={`document-${document.id}`} class="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between" data-document={document.filename}>
            <div class="min-w-0">
              <p class="truncate text-sm font-medium text-slate-900" safe>
                {document.filename}
              </p>
              <p class="text-xs text-slate-600">
                <span safe>{formatBytes(Number(document.size))}</span> · <span safe>{document.content_type}</span> · <span safe>{formatDate(document.created_at)}</span>
                {view.showClient && document.client_id ? (
                  <>
                    {" · "}
                    <a href={`/clients/${document.client_id}`} class="text-indigo-700 hover:underline" safe>
                      {document.client_name ?? "client"}
                    </a>
                  </>
                ) : (
                  ""
                )}
              </p>
            </div>
            <div class="flex gap-2">
              <a href={`/documents/${document.id}/download`} class={buttonClass("secondary")} download="">
                Download<span class="sr-only" safe>{` ${document.filename}`}</span>
              </a>
              <form method="post" action={`/documents/${document.id}/delete`} hx-post={`/documents/${document.id}/delete`} hx-target={`#document-${document.id}`} hx-swap="outerHTML" hx-confirm={`Delete ${document.filename}? This cannot be undone.`}>
                <CsrfField token={view.csrfToken} />
                <input type="hidden" name="next" value={view.clientId ? `/clients/${view.clientId}` : "/documents"} />
                <Button variant="danger">
                  Delete<span class="sr-only" safe>{` ${document.filename}`}</span>
                </Button>
              </form>
            </div>
          </li>
        ))}
      </ul>
      {next ? (
        <div class="mt-3">
          <a href={next} class={buttonClass("secondary")} hx-get={next} hx-target="#document-list" hx-swap="outerHTML">
            More documents
          </a>
        </div>
      ) : (
        ""
      )}
    </div>
  );
}

export function DocumentsCard({ view }: { view: DocumentsCardView }) {
  return (
    <Card title="Documents">
      <div class="space-y-4">
        <Uploader view={view} />
        <DocumentList view={view} />
      </div>
    </Card>
  );
}

export function DocumentsContent({ view, storage }: { view: DocumentsCardView; storage: { bytes: number; count: number } }) {
  return (
    <>
      <PageHeader title="Documents" description={`${storage.count} files · ${formatBytes(storage.bytes)} stored`} />
      <DocumentsCard view={view} />
    </>
  );
}
