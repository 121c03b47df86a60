// The "API keys" section of /settings: live keys, the create form, and a new
// key shown once.
import { Badge, Button, buttonClass, Card, CsrfField, EmptyState, Field, type FieldErrors, formatDate, SelectField } from "../../../views/components";
import type { ApiKeyRow } from "./present";

export type ApiKeysView = {
  keys: ApiKeyRow[];
  csrfToken: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
  created?: { name: string; key: string };
};

export const EXPIRY_OPTIONS = [
  { value: "never", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

const ROLE_OPTIONS = [
  { value: "member", label: "Member" },
  { value: "admin", label: "Admin" },
];

const hx = (action: string) => ({ "hx-post": action, "hx-target": "#api-keys", "hx-swap": "outerHTML" });

function NewKey({ created }: { created: { name: string; key: string } }) {
  return (
    <div class="mb-5 rounded-lg border border-emerald-200 bg-emerald-50 p-3" x-data="copyable" data-new-key>
      <label for="new-api-key" class="block text-sm font-medium text-emerald-900">
        Your new key “<span safe>{created.name}</span>”. Copy it now: it is shown only this once.
      </label>
      <div class="mt-2 flex gap-2">
        <input id="new-api-key" readonly value={created.key} class="block w-full min-w-0 flex-1 rounded-lg border border-emerald-300 bg-white px-3 py-2 font-mono text-xs text-slate-900" />
        <button type="button" class={buttonClass("secondary")} x-on:click="copy">
          <span x-text="copied ? 'Copied' : 'Copy'">Copy</span>
        </button>
      </div>
    </div>
  );
}

function KeyList({ view }: { view: ApiKeysView }) {
  if (view.keys.length === 0) return <EmptyState title="No API keys yet" />;
  return (
    <ul class="divide-y divide-slate-100" role="list" id="api-key-list">
      {view.keys.map((key) => (
        <li class="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between" data-api-key={key.id}>
          <div class="min-w-0">
            <p class="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
              <span class="truncate" safe>
                {key.name}
              </span>
              <Badge color={key.role === "admin" ? "emerald" : "slate"}>{key.role === "admin" ? "Admin" : "Member"}</Badge>
            </p>
            <p class="text-xs text-slate-600">
              <code class="font-mono" safe>{`${key.prefix}…`}</code> · last used <span>{key.last_used_at ? formatDate(key.last_used_at) : "never"}</span> · expires{" "}
              <span>{key.expires_at ? formatDate(key.expires_at) : "never"}</span>
            </p>
          </div>
          <form method="post" action={`/settings/api-keys/${key.id}/revoke`} {...hx(`/settings/api-keys/${key.id}/revoke`)} hx-confirm={`Revoke the key “${key.name}”? Integrations using it stop working at once.`}>
            <CsrfField token={view.csrfToken} />
            <Button variant="danger" aria-label={`Revoke the key ${key.name}`}>
              Revoke
            </Button>
          </form>
        </li>
      ))}
    </ul>
  );
}

export function ApiKeysSection({ view }: { view: ApiKeysView }) {
  return (
    <Card id="api-keys" title="API keys" description="Keys let your integrations call the Aggios API as this workspace: Authorization: Bearer agk_…">
      {view.created ? <NewKey created={view.created} /> : ""}
      <form method="post" action="/settings/api-keys" class="grid gap-3 md:grid-cols-[1fr_9rem_9rem_auto] md:items-end" {...hx("/settings/api-keys")}>
        <CsrfField token={view.csrfToken} />
        <Field name="name" label="Name" value={view.values?.name} error={view.errors?.name} required maxlength={100} placeholder="Zapier, billing sync…" />
        <SelectField name="role" label="Role" options={ROLE_OPTIONS} value={view.values?.role ?? "member"} />
        <SelectField name="expires_in" label="Expires" options={EXPIRY_OPTIONS} value={view.values?.expires_in ?? "never"} />
        <Button>Create key</Button>
      </form>
      {view.errors?.role || view.errors?.expires_at ? (
        <p class="mt-2 text-xs font-medium text-red-700" safe>
          {view.errors.role ?? view.errors.expires_at ?? ""}
        </p>
      ) : (
        ""
      )}
      <div class="mt-5">
        <KeyList view={view} />
      </div>
    </Card>
  );
}
