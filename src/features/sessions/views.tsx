// The tenant host's sign-in page.
import { Button, Card, Field } from "../../../views/components";
import { AggiosMark, PublicPage } from "../../../views/layout";
import type { Flash } from "../../../views/components";

export function FormError({ error }: { error?: string }) {
  if (!error) return "";
  return (
    <p role="alert" class="mb-4 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900" safe>
      {error}
    </p>
  );
}

export function LoginPage({ tenantName, email = "", error, next = "", flash }: { tenantName: string; email?: string; error?: string; next?: string; flash?: Flash[] }) {
  return (
    <PublicPage title={`Sign in · ${tenantName}`} flash={flash} heading={<AggiosMark />}>
      <Card title={`Sign in to ${tenantName}`}>
        <FormError error={error} />
        <form method="post" action="/login" class="space-y-4">
          <input type="hidden" name="next" value={next} />
          <Field name="email" type="email" label="Email" value={email} required autocomplete="username" maxlength={254} />
          <Field name="password" type="password" label="Password" required autocomplete="current-password" />
          <Button class="w-full">Sign in</Button>
        </form>
        <p class="mt-4 text-center text-sm">
          <a href="/forgot-password" class="font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
            Forgot password?
          </a>
        </p>
      </Card>
    </PublicPage>
  );
}
