// The dashboard's start page: counts, a small activity chart, recent events.
import { Card, EmptyState, formatDate, PageHeader } from "../../../views/components";
import type { ActivityRow, OverviewCounts } from "./queries";

const ACTIONS: Record<string, string> = {
  "tenants.create": "created the workspace",
  "tenants.update": "changed the workspace settings",
  "auth.login": "signed in",
  "auth.logout": "signed out",
  "auth.login_failed": "failed to sign in",
  "invitations.create": "invited a team member",
  "invitations.revoke": "revoked an invitation",
  "invitations.accept": "joined the team",
  "users.role_change": "changed a member's role",
  "users.deactivate": "deactivated a member",
  "users.activate": "reactivated a member",
  "users.update": "updated their profile",
  "users.password_change": "changed their password",
  "users.password_reset_request": "asked for a password reset",
  "users.password_reset": "reset their password",
  "users.email_change_request": "asked to change their email",
  "users.email_change": "changed their email",
  "users.sessions_end": "ended a member's sessions",
  "mfa.enable": "turned on two-factor sign-in",
  "mfa.disable": "turned off two-factor sign-in",
  "clients.create": "added a client",
  "clients.update": "updated a client",
  "clients.delete": "deleted a client",
  "documents.upload": "uploaded a document",
  "documents.download": "downloaded a document",
  "documents.delete": "deleted a document",
  "api_keys.create": "created an API key",
  "api_keys.revoke": "revoked an API key",
  "webhooks.create": "added a webhook",
  "webhooks.delete": "removed a webhook",
  "webhooks.resend": "resent a webhook delivery",
  "tenants.domain_verify": "verified the custom domain",
};

export const describeAction = (action: string) => (Object.hasOwn(ACTIONS, action) ? ACTIONS[action]! : action.replace(".", " · ").replaceAll("_", " "));

function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function Stat({ label, value, href, detail }: { label: string; value: string; href?: string; detail?: string }) {
  const body = (
    <>
      <dt class="text-sm text-slate-600" safe>
        {label}
      </dt>
      <dd class="mt-1 text-3xl font-semibold tracking-tight text-slate-900" safe>
        {value}
      </dd>
      {detail ? (
        <dd class="mt-1 text-xs text-slate-500" safe>
          {detail}
        </dd>
      ) : (
        ""
      )}
    </>
  );
  return href ? (
    <a href={href} class="block rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-indigo-300 focus-visible:outline-2 focus-visible:outline-indigo-600">
      <dl>{body}</dl>
    </a>
  ) : (
    <div class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <dl>{body}</dl>
    </div>
  );
}

/** Bars as plain elements with heights as classes' inline-free fallback: the CSP forbids inline styles. */
function ActivityChart({ days }: { days: { day: string; events: number }[] }) {
  const max = Math.max(1, ...days.map((day) => day.events));
  const total = days.reduce((sum, day) => sum + day.events, 0);
  return (
    <figure>
      <div class="flex h-32 items-end gap-1" role="img" aria-label={`Activity over the last 14 days: ${total} events`}>
        {days.map((day) => (
          <div class="flex h-full flex-1 flex-col justify-end" title={`${day.day}: ${day.events}`}>
            <svg viewBox="0 0 10 100" preserveAspectRatio="none" class="h-full w-full" aria-hidden="true">
              <rect x="0" y={String(100 - Math.round((day.events / max) * 100))} width="10" height={String(Math.round((day.events / max) * 100))} class="fill-indigo-500" />
            </svg>
          </div>
        ))}
      </div>
      <figcaption class="mt-2 flex justify-between text-xs text-slate-500">
        <span safe>{days[0]?.day ?? ""}</span>
        <span safe>{days.at(-1)?.day ?? ""}</span>
      </figcaption>
    </figure>
  );
}

export function OverviewContent({ counts, activity, days, firstName }: { counts: OverviewCounts; activity: ActivityRow[]; days: { day: string; events: number }[]; firstName: string }) {
  return (
    <>
      <PageHeader title={`Welcome back, ${firstName}`} description="Here is what is happening in your workspace." />
      <dl class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Clients" value={String(counts.clients)} detail={`${counts.active_clients} active`} href="/clients" />
        <Stat label="Documents" value={String(counts.documents)} href="/documents" />
        <Stat label="Storage used" value={formatBytes(counts.storage_bytes)} />
        <Stat label="Team members" value={String(counts.members)} detail={counts.open_invitations ? `${counts.open_invitations} invitation(s) pending` : undefined} href="/team" />
      </dl>
      <div class="mt-6 grid gap-6 lg:grid-cols-5">
        <div class="lg:col-span-2">
          <Card title="Activity" description="Events per day, last 14 days">
            <ActivityChart days={days} />
          </Card>
        </div>
        <div class="lg:col-span-3">
          <Card title="Recent activity">
            {activity.length === 0 ? (
              <EmptyState title="Nothing yet" />
            ) : (
              <ul class="divide-y divide-slate-100" role="list">
                {activity.map((event) => (
                  <li class="flex flex-col gap-0.5 py-2.5 sm:flex-row sm:items-center sm:justify-between">
                    <p class="text-sm text-slate-800">
                      <span class="font-medium" safe>
                        {event.actor_label ?? "System"}
                      </span>{" "}
                      <span safe>{describeAction(event.action)}</span>
                    </p>
                    <time class="text-xs text-slate-500" datetime={event.created_at.toISOString()} safe>
                      {formatDate(event.created_at)}
                    </time>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
