// Sessionless pages on the tenant host: forgot password, reset password,
// confirm a new email address. Each token travels in a hidden field.
import { Button, buttonClass, Card, Field, type FieldErrors } from "../../../views/components";
import { AggiosMark, PublicPage } from "../../../views/layout";
import { FormError } from "../sessions/views";

const back = (
  <p class="mt-4 text-center text-sm">
    <a href="/login" class="font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
      Back to sign in
    </a>
  </p>
);

export function ForgotPasswordPage({ tenantName, email = "", sent = false, error }: { tenantName: string; email?: string; sent?: boolean; error?: string }) {
  return (
    <PublicPage title={`Forgot password · ${tenantName}`} heading={<AggiosMark />}>
      <Card title="Reset your password" description="Enter your sign-in email and we'll send you a link to choose a new password.">
        <FormError error={error} />
        {sent ? (
          <p role="status" class="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
            If an account exists for that email, a reset link is on its way. It works for 30 minutes.
          </p>
        ) : (
          <form method="post" action="/forgot-password" class="space-y-4">
            <Field name="email" type="email" label="Email" value={email} required autocomplete="username" maxlength={254} />
            <Button class="w-full">Send reset link</Button>
          </form>
        )}
        {back}
      </Card>
    </PublicPage>
  );
}

export function ResetPasswordPage({ tenantName, token, errors = {}, error }: { tenantName: string; token: string; errors?: FieldErrors; error?: string }) {
  return (
    <PublicPage title={`Choose a new password · ${tenantName}`} heading={<AggiosMark />}>
      <Card title="Choose a new password" description="You will be signed out everywhere, then sign in with the new password.">
        <FormError error={error} />
        {token ? (
          <form method="post" action="/reset-password" class="space-y-4">
            <input type="hidden" name="token" value={token} />
            <Field name="password" type="password" label="New password" error={errors.password} required autocomplete="new-password" minlength={10} hint="At least 10 characters." />
            <Field name="confirm_password" type="password" label="Repeat the new password" error={errors.confirm_password} required autocomplete="new-password" />
            <Button class="w-full">Set new password</Button>
          </form>
        ) : (
          <a href="/forgot-password" class={buttonClass("primary", "w-full")}>
            Ask for a new link
          </a>
        )}
        {back}
      </Card>
    </PublicPage>
  );
}

export function ConfirmEmailPage({ tenantName, token, error }: { tenantName: string; token: string; error?: string }) {
  return (
    <PublicPage title={`Confirm your email · ${tenantName}`} heading={<AggiosMark />}>
      <Card title="Confirm your new email" description="Make this address your sign-in email. You will sign in again afterwards.">
        <FormError error={error} />
        {token ? (
          // A button, not the GET itself: mail scanners that open links must not confirm changes.
          <form method="post" action="/confirm-email">
            <input type="hidden" name="token" value={token} />
            <Button class="w-full">Confirm email change</Button>
          </form>
        ) : (
          ""
        )}
        {back}
      </Card>
    </PublicPage>
  );
}
