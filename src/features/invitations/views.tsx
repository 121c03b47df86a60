// The invitation acceptance page (/invite/:token on the tenant host).
import { Badge, Button, Card, Field, type FieldErrors } from "../../../views/components";
import { PublicPage } from "../../../views/layout";

export function AcceptInvitationPage(props: { tenantName: string; email: string; role: string; token: string; values?: Record<string, string>; errors?: FieldErrors }) {
  return (
    <PublicPage title={`Join ${props.tenantName} · Aggios`}>
      <Card title={`Join ${props.tenantName}`} description="Choose your name and a password to accept the invitation.">
        <p class="mb-4 flex flex-wrap items-center gap-2 text-sm text-slate-700">
          Signing up as <strong safe>{props.email}</strong>
          <Badge color="indigo">
            <span safe>{props.role}</span>
          </Badge>
        </p>
        <form method="post" action={`/invite/${props.token}`} class="space-y-4">
          <div class="grid gap-4 sm:grid-cols-2">
            <Field name="first_name" label="First name" value={props.values?.first_name} error={props.errors?.first_name} required autocomplete="given-name" maxlength={100} />
            <Field name="last_name" label="Last name" value={props.values?.last_name} error={props.errors?.last_name} required autocomplete="family-name" maxlength={100} />
          </div>
          <Field name="password" type="password" label="Password" error={props.errors?.password} required autocomplete="new-password" minlength={10} hint="At least 10 characters." />
          <Button class="w-full">Accept invitation</Button>
        </form>
      </Card>
    </PublicPage>
  );
}

export function InvalidInvitationPage({ tenantName }: { tenantName: string }) {
  return (
    <PublicPage title={`Invitation · ${tenantName}`}>
      <Card title="This invitation can't be used">
        <p class="text-sm text-slate-700">The link is invalid, has expired, was revoked or has already been used. Ask an admin of your agency for a new invitation.</p>
        <p class="mt-4 text-sm">
          <a href="/login" class="font-medium text-indigo-700 underline-offset-2 hover:underline">
            Go to sign-in
          </a>
        </p>
      </Card>
    </PublicPage>
  );
}
