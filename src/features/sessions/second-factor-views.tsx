// The sign-in steps after a correct password: the code of an enrolled user,
// or enrolment itself when the agency requires two-factor sign-in.
import { Button, buttonClass, Card } from "../../../views/components";
import { AggiosMark, PublicPage } from "../../../views/layout";
import { CodeField, type Enrolment, QrEnrolment, RecoveryCodes } from "../mfa/views";
import { FormError } from "./views";

type Step = { tenantName: string; next: string; error?: string };

/** Step two for an enrolled user. The opaque challenge rides in a hidden field; it is worthless without a code. */
export function MfaChallengePage({ tenantName, next, error, challenge }: Step & { challenge: string }) {
  return (
    <PublicPage title={`Two-factor sign-in · ${tenantName}`} heading={<AggiosMark />}>
      <Card title="Two-factor sign-in" description="Enter the code from your authenticator app to finish signing in.">
        <FormError error={error} />
        <form method="post" action="/login/two-factor" class="space-y-4">
          <input type="hidden" name="challenge" value={challenge} />
          <input type="hidden" name="next" value={next} />
          <CodeField recovery />
          <Button class="w-full">Verify</Button>
        </form>
        <p class="mt-4 text-center text-sm">
          <a href="/login" class="font-medium text-indigo-700 underline-offset-2 hover:underline">
            Start over
          </a>
        </p>
      </Card>
    </PublicPage>
  );
}

/** Step two when the agency requires 2FA and the user has none yet: enrol before any session exists. */
export function EnrolAtLoginPage({ tenantName, next, error, ticket, enrolment }: Step & { ticket: string; enrolment: Enrolment | null }) {
  return (
    <PublicPage title={`Set up two-factor sign-in · ${tenantName}`} heading={<AggiosMark />}>
      <Card title="Set up two-factor sign-in" description={`${tenantName} requires a second step at sign-in for everyone. Set it up once to continue.`}>
        <FormError error={error} />
        {enrolment ? <QrEnrolment enrolment={enrolment} /> : ""}
        <form method="post" action="/login/enrol" class="mt-4 space-y-4">
          <input type="hidden" name="ticket" value={ticket} />
          <input type="hidden" name="next" value={next} />
          <CodeField />
          <Button class="w-full">Turn on and sign in</Button>
        </form>
      </Card>
    </PublicPage>
  );
}

/** After enrolment at sign-in: the session exists now; the codes are shown this once. */
export function EnrolledAtLoginPage({ tenantName, next, codes }: { tenantName: string; next: string; codes: string[] }) {
  return (
    <PublicPage title={`Two-factor sign-in is on · ${tenantName}`} heading={<AggiosMark />}>
      <Card title="Two-factor sign-in is on">
        <RecoveryCodes codes={codes} />
        <a href={next} class={buttonClass("primary", "mt-5 w-full")}>
          I saved them — continue
        </a>
      </Card>
    </PublicPage>
  );
}
