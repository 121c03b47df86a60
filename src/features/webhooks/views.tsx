// The "Webhooks" section of /settings (endpoints, create form, a new signing
// secret shown once) and an endpoint's delivery log page.
import { Badge, Button, buttonClass, Card, CsrfField, EmptyState, Field, type FieldErrors, formatDate, PageHeader } from "../../../views/components";
import type { DeliveryRow, WebhookRow } from "./present";
import { WEBHOOK_EVENTS } from "./schema";

export type WebhooksView = {
  endpoints: WebhookRow[];
  csrfToken: string;
  errors?: FieldErrors;
  values?: { url?: string; description?: string; events?: string[] };
  created?: { url: string; secret: string };
};

const hx = (action: string, target = "#webhooks") => ({ "hx-post": action, "hx-target": target, "hx-swap": target === "#content" ? "innerHTML" : "outerHTML" });

function NewSecret({ created }: { created: { url: string; secret: string } }) {
  return (
    <div class="mb-5 rounded-lg border border-emerald-200 bg-emerald-50 p-3" x-data="copyable" data-new-secret>
      <label for="new-webhook-secret" class="block text-sm font-medium text-emerald-900">
        Signing secret for <span class="break-all" safe>{created.url}</span>. Copy it now: it is shown only this once.
      </label>
      <div class="mt-2 flex gap-2">
        <input id="new-webhook-secret" readonly value={created.secret} class="block w-full min-w-0 flex-1 rounded-lg border border-emerald-300 bg-white px-3 py-2 font-mono text-xs text-slate-900" />
        <button type="button" class={buttonClass("secondary")} x-on:click="copy">
          <span x-text="copied ? 'Copied' : 'Copy'">Copy</span>
        </button>
      </div>
    </div>
  );
}

function EndpointList({ view }: { view: WebhooksView }) {
  if (view.endpoints.length === 0) return <EmptyState title="No webhook endpoints yet" />;
  return (
    <ul class="divide-y divide-slate-100" role="list" id="webhook-list">
      {view.endpoints.map((endpoint) => (
        <li class="flex flex-col gap-2 py-3 md:flex-row md:items-center md:justify-between" data-webhook={endpoint.id}>
          <div class="min-w-0">
            <p class="break-all font-mono text-sm text-slate-900" safe>
              {endpoint.url}
            </p>
            {endpoint.description ? (
              <p class="text-xs text-slate-700" safe>
                {endpoint.description}
              </p>
            ) : (
              ""
            )}
            <p class="mt-1 text-xs text-slate-600">
              <span safe>{endpoint.events.join(", ")}</span> · secret <code class="font-mono" safe>{`${endpoint.secret_prefix}…`}</code>
            </p>
          </div>
          <div class="flex shrink-0 gap-2">
            <a href={`/settings/webhooks/${endpoint.id}`} class={buttonClass("secondary")}>
              Delivery log
            </a>
            <form method="post" action={`/settings/webhooks/${endpoint.id}/delete`} {...hx(`/settings/webhooks/${endpoint.id}/delete`)} hx-confirm="Delete this endpoint? Pending deliveries are dropped.">
              <CsrfField token={view.csrfToken} />
              <Button variant="danger" aria-label={`Delete the webhook to ${endpoint.url}`}>
                Delete
              </Button>
            </form>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function WebhooksSection({ view }: { view: WebhooksView }) {
  const chosen = new Set(view.values?.events ?? []);
  return (
    <Card id="webhooks" title="Webhooks" description="We POST a signed JSON event to your URL when something changes in this workspace.">
      {view.created ? <NewSecret created={view.created} /> : ""}
      <form method="post" action="/settings/webhooks" class="space-y-4" {...hx("/settings/webhooks")}>
        <CsrfField token={view.csrfToken} />
        <div class="grid gap-3 md:grid-cols-2">
          <Field name="url" type="url" label="Endpoint URL" value={view.values?.url} error={view.errors?.url} required maxlength={2048} placeholder="https://example.com/aggios-events" />
          <Field name="description" label="Description (optional)" value={view.values?.description} error={view.errors?.description} maxlength={200} />
        </div>
        <fieldset>
          <legend class="text-sm font-medium text-slate-800">Events</legend>
          <div class="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
            {WEBHOOK_EVENTS.map((event) => (
              <label class="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name="events" value={event} checked={chosen.has(event)} class="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600" />
                <span class="font-mono text-xs">
                  {event}
                </span>
              </label>
            ))}
          </div>
          {view.errors?.events ? (
            <p class="mt-1 text-xs font-medium text-red-700" safe>
              {view.errors.events}
            </p>
          ) : (
            ""
          )}
        </fieldset>
        <Button>Add endpoint</Button>
      </form>
      <div class="mt-5">
        <EndpointList view={view} />
      </div>
    </Card>
  );
}

const STATUS_COLOR = { pending: "amber", succeeded: "emerald", failed: "red" } as const;

export function DeliveryLogContent({ endpoint, deliveries, csrfToken }: { endpoint: WebhookRow; deliveries: DeliveryRow[]; csrfToken: string }) {
  return (
    <>
      <PageHeader title="Delivery log" description={endpoint.url}>
        <a href="/settings#webhooks" class={buttonClass("secondary")}>
          Back to settings
        </a>
      </PageHeader>
      <Card title="Recent deliveries" description="Newest first. Each attempt shows the response code your endpoint answered, or why it could not be reached.">
        {deliveries.length === 0 ? (
          <EmptyState title="No deliveries yet" />
        ) : (
          <ul class="divide-y divide-slate-100" role="list" id="deliveries">
            {deliveries.map((delivery) => (
              <li class="py-3" data-delivery={delivery.id}>
                <div class="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
                  <p class="flex flex-wrap items-center gap-2 text-sm text-slate-900">
                    <span class="font-mono text-xs">
                      {delivery.event_type}
                    </span>
                    <Badge color={STATUS_COLOR[delivery.status]}>{delivery.status}</Badge>
                    <span class="text-xs text-slate-600" safe>
                      {formatDate(delivery.created_at)}
                    </span>
                  </p>
                  <form method="post" action={`/settings/webhooks/${endpoint.id}/deliveries/${delivery.id}/resend`} {...hx(`/settings/webhooks/${endpoint.id}/deliveries/${delivery.id}/resend`, "#content")}>
                    <CsrfField token={csrfToken} />
                    <Button variant="secondary">Resend</Button>
                  </form>
                </div>
                <ol class="mt-2 space-y-1 text-xs text-slate-700" role="list">
                  {delivery.attempt_log.map((attempt) => (
                    <li>
                      Attempt <span safe>{String(attempt.attempt)}</span>: <span class="font-mono" safe>{attempt.status_code === null ? "no response" : String(attempt.status_code)}</span>
                      {attempt.error ? <span safe>{` — ${attempt.error}`}</span> : ""} · <span safe>{`${attempt.duration_ms} ms`}</span> ·{" "}
                      <span safe>{formatDate(attempt.created_at)}</span>
                    </li>
                  ))}
                  {delivery.attempt_log.length === 0 ? <li>No attempt yet.</li> : ""}
                </ol>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
