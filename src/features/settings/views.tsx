// /settings: one card per section. Sections are separate components, and other
// features add their own (API keys, webhooks) through `SettingsSection`.
import type { Children } from "@kitajs/html";
import { Badge, Button, Card, CsrfField, Field, type FieldErrors, PageHeader } from "../../../views/components";
import type { Role } from "../../identity/tokens";
import type { TenantSettingsRow } from "./queries";
import { SecuritySection } from "./security-section";
import { verificationRecordName } from "./service";

export type SettingsView = {
  tenant: TenantSettingsRow;
  csrfToken: string;
  baseDomain: string;
  viewer: { role: Role; mfaEnabled: boolean };
  errors?: FieldErrors;
  values?: Record<string, string>;
};

/** A section another feature contributes to /settings, rendered below the built-in ones. */
export type SettingsSection = { id: string; render: (context: { tenantId: string; csrfToken: string; role: Role; request: Request }) => string | Promise<string> };

const hx = (action: string) => ({ "hx-post": action, "hx-target": "#content", "hx-swap": "innerHTML" });

export function GeneralSection({ view }: { view: SettingsView }) {
  return (
    <Card id="general" title="General" description="How your agency appears to your team.">
      <form method="post" action="/settings/general" class="space-y-4" {...hx("/settings/general")}>
        <CsrfField token={view.csrfToken} />
        <Field name="name" label="Agency name" value={view.values?.name ?? view.tenant.name} error={view.errors?.name} required maxlength={200} />
        <div class="space-y-1">
          <p class="text-sm font-medium text-slate-800">Workspace address</p>
          <p class="font-mono text-sm text-slate-700" safe>
            {`${view.tenant.subdomain}.${view.baseDomain}`}
          </p>
        </div>
        <Button>Save</Button>
      </form>
    </Card>
  );
}

function DnsRecord({ name, type, value }: { name: string; type: string; value: string }) {
  return (
    <div class="overflow-x-auto rounded-lg border border-slate-200">
      <table class="w-full text-left text-sm">
        <thead class="bg-slate-50 text-xs uppercase text-slate-600">
          <tr>
            <th scope="col" class="px-3 py-2 font-medium">
              Type
            </th>
            <th scope="col" class="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" class="px-3 py-2 font-medium">
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          <tr class="border-t border-slate-200 font-mono text-xs">
            <td class="px-3 py-2" safe>
              {type}
            </td>
            <td class="break-all px-3 py-2" safe>
              {name}
            </td>
            <td class="break-all px-3 py-2" safe>
              {value}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

export function DomainSection({ view }: { view: SettingsView }) {
  const { tenant } = view;
  return (
    <Card id="domain" title="Custom domain" description="Serve your dashboard from your own domain, such as clients.your-agency.com.">
      <form method="post" action="/settings/domain" class="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end" {...hx("/settings/domain")}>
        <CsrfField token={view.csrfToken} />
        <Field name="domain" label="Domain" value={view.values?.domain ?? tenant.domain ?? ""} error={view.errors?.domain} placeholder="clients.example.com" maxlength={253} attrs={{ autocapitalize: "none", spellcheck: "false" }} />
        <Button variant="secondary">Save domain</Button>
      </form>
      {tenant.domain && tenant.domain_verification_token ? (
        <div class="mt-5 space-y-3">
          <p class="flex items-center gap-2 text-sm text-slate-800">
            <span safe>{tenant.domain}</span>
            {tenant.domain_verified_at ? <Badge color="emerald">Verified</Badge> : <Badge color="amber">Not verified yet</Badge>}
          </p>
          {tenant.domain_verified_at ? (
            <p class="text-sm text-slate-600">Your workspace answers on this domain. Keep the DNS records in place.</p>
          ) : (
            <>
              <p class="text-sm text-slate-700">1. Prove that the domain is yours with this TXT record at your DNS provider:</p>
              <DnsRecord type="TXT" name={verificationRecordName(tenant.domain)} value={tenant.domain_verification_token} />
              <p class="text-sm text-slate-700">2. Point the domain at Aggios:</p>
              <DnsRecord type="CNAME" name={tenant.domain} value={`${tenant.subdomain}.${view.baseDomain}`} />
              <p class="text-xs text-slate-600">DNS changes can take a few minutes to an hour to appear. The certificate is issued automatically after verification.</p>
              <form method="post" action="/settings/domain/verify" {...hx("/settings/domain/verify")}>
                <CsrfField token={view.csrfToken} />
                <Button>Verify domain</Button>
              </form>
            </>
          )}
          <form method="post" action="/settings/domain/remove" {...hx("/settings/domain/remove")}>
            <CsrfField token={view.csrfToken} />
            <Button variant="danger">Remove domain</Button>
          </form>
        </div>
      ) : (
        ""
      )}
    </Card>
  );
}

export function SettingsContent({ view, extra = [] }: { view: SettingsView; extra?: Children[] }) {
  return (
    <>
      <PageHeader title="Settings" description="Your agency's workspace." />
      <div class="space-y-6">
        <GeneralSection view={view} />
        <DomainSection view={view} />
        <SecuritySection view={{ requireMfa: view.tenant.require_mfa, viewerRole: view.viewer.role, viewerMfa: view.viewer.mfaEnabled, csrfToken: view.csrfToken }} />
        {extra}
      </div>
    </>
  );
}
