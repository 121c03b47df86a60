// /audit: the tenant's audit log with filters and "older" pagination.
import { Badge, Button, buttonClass, Card, EmptyState, Field, formatDate, PageHeader, SelectField } from "../../../views/components";
import type { AuditRow } from "./present";

export type AuditView = {
  rows: AuditRow[];
  nextCursor: string | null;
  filters: { action?: string; actor_id?: string; from?: string; to?: string };
  actors: { id: string; email: string }[];
};

// The actions this product records, for the filter; any other noun.verb can still be typed in the URL.
const ACTIONS = [
  "auth", "auth.login", "auth.login_failed", "auth.logout", "clients", "clients.create", "clients.update", "clients.delete",
  "documents", "documents.upload", "documents.download", "documents.delete", "users", "invitations", "api_keys", "webhooks", "mfa", "tenants",
];

// Ids are long: show a recognisable prefix, the whole id on hover.
const describeTarget = (row: AuditRow) => (row.target_type ? `${row.target_type} ${(row.target_id ?? "").slice(0, 8)}`.trim() : "—");

export function AuditContent({ view }: { view: AuditView }) {
  const params = new URLSearchParams(Object.entries(view.filters).filter((entry): entry is [string, string] => Boolean(entry[1])));
  if (view.nextCursor) params.set("cursor", view.nextCursor);
  return (
    <>
      <PageHeader title="Audit log" description="Who did what, and when. Entries cannot be changed or deleted." />
      <Card>
        <form method="get" action="/audit" class="mb-4 grid gap-3 md:grid-cols-[1fr_1fr_10rem_10rem_auto] md:items-end">
          <SelectField name="action" label="Action" options={[{ value: "", label: "All actions" }, ...ACTIONS.map((action) => ({ value: action, label: action.includes(".") ? action : `${action}.*` }))]} value={view.filters.action ?? ""} />
          <SelectField name="actor_id" label="Person" options={[{ value: "", label: "Everyone" }, ...view.actors.map((actor) => ({ value: actor.id, label: actor.email }))]} value={view.filters.actor_id ?? ""} />
          <Field name="from" type="date" label="From" value={view.filters.from} />
          <Field name="to" type="date" label="To" value={view.filters.to} />
          <Button variant="secondary">Filter</Button>
        </form>
        {view.rows.length === 0 ? (
          <EmptyState title="No events match." />
        ) : (
          <div class="overflow-x-auto">
            <table class="min-w-full divide-y divide-slate-200 text-left text-sm">
              <thead class="text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" class="px-3 py-2">When</th>
                  <th scope="col" class="px-3 py-2">Action</th>
                  <th scope="col" class="px-3 py-2">Who</th>
                  <th scope="col" class="hidden px-3 py-2 md:table-cell">Target</th>
                  <th scope="col" class="hidden px-3 py-2 lg:table-cell">From</th>
                </tr>
              </thead>
              <tbody class="divide-y divide-slate-100">
                {view.rows.map((row) => (
                  <tr>
                    <td class="whitespace-nowrap px-3 py-2 text-slate-700" safe>
                      {formatDate(row.created_at)}
                    </td>
                    <td class="px-3 py-2">
                      <Badge color={row.action.endsWith("failed") || row.action.endsWith("delete") ? "red" : "indigo"}>{row.action as "safe"}</Badge>
                    </td>
                    <td class="px-3 py-2 text-slate-800" safe>
                      {row.actor_label ?? row.actor_type}
                    </td>
                    <td class="hidden whitespace-nowrap px-3 py-2 font-mono text-xs text-slate-600 md:table-cell" title={row.target_id ?? ""} safe>
                      {describeTarget(row)}
                    </td>
                    <td class="hidden px-3 py-2 text-xs text-slate-600 lg:table-cell" title={row.user_agent ?? ""}>
                      <span safe>{row.ip ?? "—"}</span>
                      <span class="block font-mono" title={row.request_id ?? ""} safe>
                        {(row.request_id ?? "").slice(0, 8)}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {view.nextCursor ? (
          <div class="mt-4">
            <a href={`/audit?${params}`} class={buttonClass("secondary")}>
              Older events
            </a>
          </div>
        ) : (
          ""
        )}
      </Card>
    </>
  );
}
