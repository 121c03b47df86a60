// The workspace's sign-in policy on /settings: owners require two-factor
// sign-in for everyone; admins see the setting but cannot change it.
import { Badge, Button, Card, CsrfField } from "../../../views/components";
import type { Role } from "../../identity/tokens";

export type SecurityView = { requireMfa: boolean; viewerRole: Role; viewerMfa: boolean; csrfToken: string };

export function SecuritySection({ view }: { view: SecurityView }) {
  const isOwner = view.viewerRole === "owner";
  return (
    <Card id="security" title="Sign-in security" description="Require two-factor sign-in for all members: a code from an app, asked for after the password.">
      <p class="flex flex-wrap items-center gap-2 text-sm text-slate-700">
        Require two-factor sign-in for all members: {view.requireMfa ? <Badge color="emerald">On</Badge> : <Badge color="slate">Off</Badge>}
      </p>
      {!isOwner ? (
        <p class="mt-3 text-sm text-slate-600">Only the owner of the workspace changes this.</p>
      ) : view.requireMfa ? (
        <form method="post" action="/settings/two-factor" class="mt-4" hx-post="/settings/two-factor" hx-target="#content" hx-swap="innerHTML">
          <CsrfField token={view.csrfToken} />
          <input type="hidden" name="require_mfa" value="off" />
          <Button variant="secondary">Stop requiring two-factor sign-in</Button>
        </form>
      ) : (
        <form
          method="post"
          action="/settings/two-factor"
          class="mt-4 space-y-3"
          hx-post="/settings/two-factor"
          hx-target="#content"
          hx-swap="innerHTML"
          hx-confirm="Members without two-factor sign-in will be signed out and asked to set it up at their next sign-in. Continue?"
        >
          <CsrfField token={view.csrfToken} />
          <input type="hidden" name="require_mfa" value="on" />
          <p class="text-sm text-slate-600">Members who have not set it up are signed out now and set it up when they next sign in.</p>
          {view.viewerMfa ? (
            ""
          ) : (
            <p class="text-sm text-amber-900">
              First turn it on for your own account in <a class="font-medium underline" href="/account/two-factor">Two-factor sign-in</a>.
            </p>
          )}
          <Button disabled={!view.viewerMfa}>Require two-factor sign-in</Button>
        </form>
      )}
    </Card>
  );
}
