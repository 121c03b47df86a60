// /clients and /clients/:id: live search, status filter, pagination, create,
// edit in place, delete with confirmation. Pure functions of their data.
import { Badge, Button, buttonClass, Card, CsrfField, EmptyState, Field, type FieldErrors, formatDate, PageHeader, SelectField } from "../../../views/components";
import { DocumentsCard, type DocumentsCardView } from "../documents/views";
import type { ClientRow } from "./present";
import { CLIENT_STATUSES } from "./schema";

export type ClientFilters = { q?: string; status?: string };
export type ClientListView = { rows: ClientRow[]; nextCursor: string | null; filters: ClientFilters; csrfToken: string; cursor?: string };
export type ClientFormState = { errors?: FieldErrors; values?: Record<string, string> };

const STATUS_LABEL: Record<string, string> = { lead: "Lead", active: "Active", inactive: "Inactive" };
const STATUS_COLOR = { lead: "amber", active: "emerald", inactive: "slate" } as const;
const STATUS_OPTIONS = CLIENT_STATUSES.map((status) => ({ value: status, label: STATUS_LABEL[status]! }));

const query = (params: Record<string, string | undefined>) => {
  const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])));
  return search.size ? `?${search}` : "";
};

export function StatusBadge({ status }: { status: ClientRow["status"] }) {
  return <Badge color={STATUS_COLOR[status]}>{STATUS_LABEL[status] as "safe"}</Badge>;
}

/** One table row; htmx swaps it for ClientEditRow and back. */
export function ClientRowView({ client, csrfToken }: { client: ClientRow; csrfToken: string }) {
  return (
    <tr id={`client-${client.id}`} class="align-top">
      <td class="px-4 py-3">
        <a href={`/clients/${client.id}`} class="font-medium text-indigo-700 hover:underline focus-visible:outline-2" safe>
          {client.name}
        </a>
        {client.tags.length ? (
          <div class="mt-1 flex flex-wrap gap-1">
            {client.tags.map((tag) => (
              <Badge>{tag as "safe"}</Badge>
            ))}
          </div>
        ) : (
          ""
        )}
      </td>
      <td class="hidden px-4 py-3 text-sm text-slate-700 md:table-cell" safe>
        {client.company ?? "—"}
      </td>
      <td class="hidden px-4 py-3 text-sm text-slate-700 lg:table-cell" safe>
        {client.email ?? "—"}
      </td>
      <td class="px-4 py-3">
        <StatusBadge status={client.status} />
      </td>
      <td class="px-4 py-3">
        <div class="flex justify-end gap-2">
          <a href={`/clients/${client.id}`} class={buttonClass("secondary")} hx-get={`/clients/${client.id}/edit`} hx-target={`#client-${client.id}`} hx-swap="outerHTML">
            Edit<span class="sr-only" safe>{` ${client.name}`}</span>
          </a>
          <form method="post" action={`/clients/${client.id}/delete`} hx-post={`/clients/${client.id}/delete`} hx-target={`#client-${client.id}`} hx-swap="outerHTML" hx-confirm={`Delete ${client.name}? Its documents are kept, unlinked.`}>
            <CsrfField token={csrfToken} />
            <input type="hidden" name="from" value="list" />
            <Button variant="danger">
              Delete<span class="sr-only" safe>{` ${client.name}`}</span>
            </Button>
          </form>
        </div>
      </td>
    </tr>
  );
}

/** Edit in place: the row becomes a form; saving returns the plain row. */
export function ClientEditRow({ client, csrfToken, state = {} }: { client: ClientRow; csrfToken: string; state?: ClientFormState }) {
  const value = (name: keyof ClientRow) => state.values?.[name] ?? String(client[name] ?? "");
  return (
    <tr id={`client-${client.id}`} class="bg-indigo-50/40">
      <td colspan="5" class="px-4 py-3">
        <form method="post" action={`/clients/${client.id}`} hx-post={`/clients/${client.id}/row`} hx-target={`#client-${client.id}`} hx-swap="outerHTML" class="grid gap-3 md:grid-cols-4 md:items-end">
          <CsrfField token={csrfToken} />
          <Field name="name" label="Name" value={value("name")} error={state.errors?.name} required maxlength={200} />
          <Field name="company" label="Company" value={value("company")} error={state.errors?.company} maxlength={200} />
          <Field name="email" type="email" label="Email" value={value("email")} error={state.errors?.email} maxlength={254} />
          <SelectField name="status" label="Status" options={STATUS_OPTIONS} value={value("status")} id={`status-${client.id}`} />
          <div class="flex gap-2 md:col-span-4">
            <Button>Save</Button>
            <a href="/clients" class={buttonClass("ghost")} hx-get={`/clients/${client.id}/row`} hx-target={`#client-${client.id}`} hx-swap="outerHTML">
              Cancel
            </a>
          </div>
        </form>
      </td>
    </tr>
  );
}

/** The results region: swapped alone by live search, filters and pagination. */
export function ClientResults({ view }: { view: ClientListView }) {
  const { rows, filters } = view;
  if (rows.length === 0) {
    return (
      <div id="client-results">
        <EmptyState title={filters.q || filters.status ? "No clients match." : "No clients yet."}>{filters.q || filters.status ? "Try another search or filter." : "Add your first client above."}</EmptyState>
      </div>
    );
  }
  const next = view.nextCursor ? `/clients${query({ ...filters, cursor: view.nextCursor })}` : undefined;
  return (
    <div id="client-results">
      <div class="overflow-x-auto">
        <table class="min-w-full divide-y divide-slate-200 text-left">
          <thead class="text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" class="px-4 py-2">Name</th>
              <th scope="col" class="hidden px-4 py-2 md:table-cell">Company</th>
              <th scope="col" class="hidden px-4 py-2 lg:table-cell">Email</th>
              <th scope="col" class="px-4 py-2">Status</th>
              <th scope="col" class="px-4 py-2"><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-100">
            {rows.map((client) => (
              <ClientRowView client={client} csrfToken={view.csrfToken} />
            ))}
          </tbody>
        </table>
      </div>
      <nav class="mt-4 flex justify-between" aria-label="Pagination">
        {view.cursor ? (
          <a href={`/clients${query(filters)}`} class={buttonClass("secondary")} hx-get={`/clients/results${query(filters)}`} hx-target="#client-results" hx-swap="outerHTML">
            First page
          </a>
        ) : (
          <span />
        )}
        {next ? (
          <a href={next} class={buttonClass("secondary")} hx-get={next.replace("/clients", "/clients/results")} hx-target="#client-results" hx-swap="outerHTML">
            Next page
          </a>
        ) : (
          ""
        )}
      </nav>
    </div>
  );
}

function NewClientForm({ csrfToken, state = {} }: { csrfToken: string; state?: ClientFormState }) {
  return (
    <Card title="Add a client">
      <form method="post" action="/clients" hx-post="/clients" hx-target="#content" class="grid gap-3 md:grid-cols-2 lg:grid-cols-4 lg:items-end">
        <CsrfField token={csrfToken} />
        <Field name="name" label="Name" value={state.values?.name} error={state.errors?.name} required maxlength={200} />
        <Field name="company" label="Company" value={state.values?.company} error={state.errors?.company} maxlength={200} />
        <Field name="email" type="email" label="Email" value={state.values?.email} error={state.errors?.email} maxlength={254} />
        <SelectField name="status" label="Status" options={STATUS_OPTIONS} value={state.values?.status ?? "lead"} id="new-client-status" />
        <div class="md:col-span-2 lg:col-span-4">
          <Button>Add client</Button>
        </div>
      </form>
    </Card>
  );
}

// Live search: typing (debounced), the status filter and the submit button all
// swap only the results, so the search box keeps its focus.
const LIVE = { "hx-get": "/clients/results", "hx-target": "#client-results", "hx-swap": "outerHTML" };

export function ClientsContent({ view, form }: { view: ClientListView; form?: ClientFormState }) {
  return (
    <>
      <PageHeader title="Clients" description="Your agency's customers, their details and files." />
      <div class="space-y-6">
        <NewClientForm csrfToken={view.csrfToken} state={form} />
        <Card>
          <form method="get" action="/clients" role="search" class="mb-4 grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end" {...LIVE}>
            <Field name="q" type="search" label="Search name, email or company" value={view.filters.q} maxlength={200} attrs={{ autocomplete: "off", ...LIVE, "hx-trigger": "input changed delay:300ms, search", "hx-include": "closest form" }} />
            <SelectField name="status" label="Status" options={[{ value: "", label: "All statuses" }, ...STATUS_OPTIONS]} value={view.filters.status ?? ""} id="filter-status" attrs={{ ...LIVE, "hx-trigger": "change", "hx-include": "closest form" }} />
            <Button variant="secondary">Search</Button>
          </form>
          <ClientResults view={view} />
        </Card>
      </div>
    </>
  );
}

export type ClientDetailView = { client: ClientRow; csrfToken: string; form?: ClientFormState; documents: DocumentsCardView };

export function ClientDetailContent({ view }: { view: ClientDetailView }) {
  const { client, form = {} } = view;
  const value = (name: keyof ClientRow) => form.values?.[name] ?? (name === "tags" ? client.tags.join(", ") : String(client[name] ?? ""));
  return (
    <>
      <PageHeader title={client.name} description={`Client since ${formatDate(client.created_at)}`}>
        <a href="/clients" class={buttonClass("secondary")}>
          All clients
        </a>
        <form method="post" action={`/clients/${client.id}/delete`} hx-post={`/clients/${client.id}/delete`} hx-confirm={`Delete ${client.name}? Its documents are kept, unlinked.`}>
          <CsrfField token={view.csrfToken} />
          <Button variant="danger">Delete client</Button>
        </form>
      </PageHeader>
      <div class="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <Card title="Details">
          <div class="mb-4">
            <StatusBadge status={client.status} />
          </div>
          <form method="post" action={`/clients/${client.id}`} hx-post={`/clients/${client.id}`} hx-target="#content" class="space-y-3">
            <CsrfField token={view.csrfToken} />
            <Field name="name" label="Name" value={value("name")} error={form.errors?.name} required maxlength={200} />
            <div class="grid gap-3 sm:grid-cols-2">
              <Field name="company" label="Company" value={value("company")} error={form.errors?.company} maxlength={200} />
              <SelectField name="status" label="Status" options={STATUS_OPTIONS} value={value("status")} />
              <Field name="email" type="email" label="Email" value={value("email")} error={form.errors?.email} maxlength={254} />
              <Field name="phone" type="tel" label="Phone" value={value("phone")} error={form.errors?.phone} maxlength={50} />
            </div>
            <Field name="tags" label="Tags" hint="Separate tags with commas." value={value("tags")} error={form.errors?.tags} maxlength={900} />
            <div class="space-y-1">
              <label for="field-notes" class="block text-sm font-medium text-slate-800">
                Notes
              </label>
              <textarea id="field-notes" name="notes" rows="6" maxlength="10000" class="block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm text-slate-900 focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/30" safe>
                {value("notes")}
              </textarea>
              {form.errors?.notes ? (
                <p class="text-xs font-medium text-red-700" safe>
                  {form.errors.notes}
                </p>
              ) : (
                ""
              )}
            </div>
            <Button>Save changes</Button>
          </form>
        </Card>
        <DocumentsCard view={view.documents} />
      </div>
    </>
  );
}
