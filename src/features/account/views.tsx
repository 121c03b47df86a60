// /account: the signed-in user's name, password and sessions.
import { Badge, Button, buttonClass, Card, CsrfField, Field, type FieldErrors, formatDate, PageHeader } from "../../../views/components";
import type { Session } from "../../identity/sessions";

export type AccountView = {
  profile: { first_name: string; last_name: string; email: string };
  mfaEnabled: boolean;
  sessions: Session[];
  currentSessionId: string;
  csrfToken: string;
  profileErrors?: FieldErrors;
  passwordErrors?: FieldErrors;
  emailErrors?: FieldErrors;
  emailValue?: string;
};

const hx = (action: string) => ({ "hx-post": action, "hx-target": "#content", "hx-swap": "innerHTML" });

function describeAgent(agent: string | null): string {
  if (!agent) return "Unknown device";
  const browser = /Edg\//.test(agent) ? "Edge" : /Chrome\//.test(agent) ? "Chrome" : /Firefox\//.test(agent) ? "Firefox" : /Safari\//.test(agent) ? "Safari" : "Browser";
  const system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Windows/.test(agent) ? "Windows" : /Mac OS X/.test(agent) ? "macOS" : /Linux/.test(agent) ? "Linux" : "";
  return system ? `${browser} on ${system}` : browser;
}

export function AccountContent({ view }: { view: AccountView }) {
  const others = view.sessions.filter((session) => session.id !== view.currentSessionId).length;
  return (
    <>
      <PageHeader title="Your account" description={view.profile.email} />
      <div class="grid gap-6 lg:grid-cols-2">
        <Card title="Profile">
          <form method="post" action="/account/profile" class="space-y-4" {...hx("/account/profile")}>
            <CsrfField token={view.csrfToken} />
            <Field name="first_name" label="First name" value={view.profile.first_name} error={view.profileErrors?.first_name} required autocomplete="given-name" maxlength={100} />
            <Field name="last_name" label="Last name" value={view.profile.last_name} error={view.profileErrors?.last_name} required autocomplete="family-name" maxlength={100} />
            <Button>Save profile</Button>
          </form>
        </Card>
        <Card title="Change password" description="Your other sessions are signed out when the password changes.">
          <form method="post" action="/account/password" class="space-y-4" {...hx("/account/password")}>
            <CsrfField token={view.csrfToken} />
            <Field name="current_password" type="password" label="Current password" error={view.passwordErrors?.current_password} required autocomplete="current-password" />
            <Field name="new_password" type="password" label="New password" error={view.passwordErrors?.new_password} required autocomplete="new-password" minlength={10} hint="At least 10 characters." />
            <Field name="confirm_password" type="password" label="Repeat the new password" error={view.passwordErrors?.confirm_password} required autocomplete="new-password" />
            <Button>Change password</Button>
          </form>
        </Card>
      </div>
      <div class="mt-6 grid gap-6 lg:grid-cols-2">
        <SecurityCard view={view} />
        <EmailCard view={view} />
      </div>
      <div class="mt-6">
        <Card title="Where you're signed in" description="Sessions end after 30 minutes without activity, and after 12 hours in any case.">
          <ul class="divide-y divide-slate-100" role="list" id="sessions">
            {view.sessions.map((session) => (
              <li class="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div>
                  <p class="flex items-center gap-2 text-sm font-medium text-slate-900">
                    <span safe>{describeAgent(session.user_agent)}</span>
                    {session.id === view.currentSessionId ? <Badge color="emerald">This device</Badge> : ""}
                  </p>
                  <p class="text-xs text-slate-600">
                    <span safe>{session.ip}</span> · signed in <span safe>{formatDate(new Date(session.created_at))}</span> · last active <span safe>{formatDate(new Date(session.last_seen))}</span>
                  </p>
                </div>
                {session.id === view.currentSessionId ? (
                  ""
                ) : (
                  <form method="post" action={`/account/sessions/${session.id}/end`} {...hx(`/account/sessions/${session.id}/end`)}>
                    <CsrfField token={view.csrfToken} />
                    <Button variant="danger">Sign out</Button>
                  </form>
                )}
              </li>
            ))}
          </ul>
          {others > 0 ? (
            <form method="post" action="/account/sessions/end-others" class="mt-4" {...hx("/account/sessions/end-others")}>
              <CsrfField token={view.csrfToken} />
              <Button variant="secondary">Sign out all other sessions</Button>
            </form>
          ) : (
            ""
          )}
        </Card>
      </div>
    </>
  );
}

function SecurityCard({ view }: { view: AccountView }) {
  return (
    <Card title="Two-factor sign-in" description="A code from an app on your phone, asked for after your password.">
      <p class="flex items-center gap-2 text-sm text-slate-700">
        Status: {view.mfaEnabled ? <Badge color="emerald">On</Badge> : <Badge color="amber">Off</Badge>}
      </p>
      <a href="/account/two-factor" class={buttonClass(view.mfaEnabled ? "secondary" : "primary", "mt-4")}>
        {view.mfaEnabled ? "Manage two-factor sign-in" : "Set up two-factor sign-in"}
      </a>
    </Card>
  );
}

function EmailCard({ view }: { view: AccountView }) {
  return (
    <Card title="Change email" description="We send a link to the new address; your sign-in email changes when you open it.">
      <form method="post" action="/account/email" class="space-y-4" {...hx("/account/email")}>
        <CsrfField token={view.csrfToken} />
        <Field name="new_email" type="email" label="New email" value={view.emailValue} error={view.emailErrors?.new_email} required autocomplete="email" maxlength={254} />
        <Field name="password" type="password" label="Current password" error={view.emailErrors?.password} required autocomplete="current-password" />
        <Button variant="secondary">Send confirmation link</Button>
      </form>
    </Card>
  );
}
