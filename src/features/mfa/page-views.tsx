// /account/two-factor: status, enrolment (QR code, first code, recovery codes
// once) and turning it off with password and code.
import { Badge, Button, buttonClass, Card, CsrfField, Field, type FieldErrors, PageHeader } from "../../../views/components";
import { CodeField, type Enrolment, QrEnrolment, RecoveryCodes } from "./views";

export type TwoFactorView = {
  csrfToken: string;
  enabled: boolean;
  requiredByAgency: boolean;
  enrolment?: Enrolment | null;
  recoveryCodes?: string[];
  errors?: FieldErrors;
};

const hx = (action: string) => ({ "hx-post": action, "hx-target": "#content", "hx-swap": "innerHTML" });

function Status({ view }: { view: TwoFactorView }) {
  return (
    <p class="mb-4 flex flex-wrap items-center gap-2 text-sm text-slate-700">
      Status: {view.enabled ? <Badge color="emerald">On</Badge> : <Badge color="amber">Off</Badge>}
      {view.requiredByAgency ? <span class="text-xs text-slate-600">Your agency requires it for everyone.</span> : ""}
    </p>
  );
}

function EnrolCard({ view }: { view: TwoFactorView }) {
  if (view.enrolment) {
    return (
      <Card title="Scan and confirm" description="Scan the QR code with your authenticator app, then enter the code it shows.">
        <QrEnrolment enrolment={view.enrolment} />
        <form method="post" action="/account/two-factor/confirm" class="mt-5 space-y-4 sm:max-w-sm" {...hx("/account/two-factor/confirm")}>
          <CsrfField token={view.csrfToken} />
          <CodeField error={view.errors?.code} />
          <Button>Turn on two-factor sign-in</Button>
        </form>
      </Card>
    );
  }
  return (
    <Card title="Two-factor sign-in" description="Besides your password, sign-in asks for a code from an app on your phone. A stolen password alone no longer opens your account.">
      <Status view={view} />
      <form method="post" action="/account/two-factor/enrol" {...hx("/account/two-factor/enrol")}>
        <CsrfField token={view.csrfToken} />
        <Button>Set up two-factor sign-in</Button>
      </form>
    </Card>
  );
}

function EnabledCard({ view }: { view: TwoFactorView }) {
  return (
    <Card title="Two-factor sign-in" description="Sign-in asks for a code from your authenticator app, or one of your recovery codes.">
      <Status view={view} />
      {view.recoveryCodes ? <RecoveryCodes codes={view.recoveryCodes} /> : ""}
      <form method="post" action="/account/two-factor/disable" class="mt-5 space-y-4 border-t border-slate-100 pt-4 sm:max-w-sm" {...hx("/account/two-factor/disable")}>
        <h3 class="text-sm font-semibold text-slate-900">Turn off</h3>
        {view.requiredByAgency ? <p class="text-xs text-slate-600">Your agency requires two-factor sign-in: you will set it up again at your next sign-in (for example, on a new phone).</p> : ""}
        <CsrfField token={view.csrfToken} />
        <Field name="password" type="password" label="Your password" error={view.errors?.password} required autocomplete="current-password" />
        <CodeField error={view.errors?.code} recovery />
        <Button variant="danger">Turn off two-factor sign-in</Button>
      </form>

    </Card>
  );
}

export function TwoFactorContent({ view }: { view: TwoFactorView }) {
  return (
    <>
      <PageHeader title="Two-factor sign-in" description="Protect your account with a second step at sign-in.">
        <a href="/account" class={buttonClass("secondary")}>
          Back to your account
        </a>
      </PageHeader>
      <div class="max-w-3xl">{view.enabled ? <EnabledCard view={view} /> : <EnrolCard view={view} />}</div>
    </>
  );
}
