// The institutional site on the apex host: landing, sign-up, workspace finder.
import { Button, buttonClass, Card, Field, type FieldErrors } from "../../../views/components";
import { PublicPage } from "../../../views/layout";

function SiteNav() {
  return (
    <nav aria-label="Site" class="flex items-center gap-2">
      <a href="/login" class={buttonClass("ghost")}>
        Sign in
      </a>
      <a href="/signup" class={buttonClass("primary")}>
        Create your agency
      </a>
    </nav>
  );
}

const FEATURES = [
  { title: "One workspace per agency", text: "Your own address at your-agency.aggios.app, or your own domain. Your team, your clients, your files — isolated from every other agency." },
  { title: "Clients and documents", text: "Keep every client, lead and contract in one place, with documents stored safely and found in seconds." },
  { title: "A team with clear roles", text: "Invite colleagues by email. Owners, admins and members each see and do exactly what they should." },
  { title: "An audit trail", text: "Every sign-in and every change is recorded: who, what, when and from where." },
  { title: "An API for integrations", text: "Connect your tools with API keys and webhooks; the dashboard and the API share the same rules." },
  { title: "Self-hostable", text: "One Bun process, PostgreSQL, Redis and S3-compatible storage. Run it on your own servers with Docker Compose." },
];

export function LandingPage() {
  return (
    <PublicPage title="Aggios — the workspace for agencies" wide nav={<SiteNav />}>
      <section class="py-8 text-center sm:py-16">
        <p class="text-sm font-semibold uppercase tracking-wide text-indigo-700">For marketing, design and digital agencies</p>
        <h1 class="mx-auto mt-3 max-w-3xl text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">Run your agency's clients, documents and team in one workspace.</h1>
        <p class="mx-auto mt-5 max-w-2xl text-lg text-slate-600">
          Aggios gives every agency its own secure dashboard: a client list your whole team shares, documents where they belong, and roles that keep the right people in charge.
        </p>
        <div class="mt-8 flex flex-col justify-center gap-3 sm:flex-row">
          <a href="/signup" class={buttonClass("primary", "px-5 py-3")}>
            Create your agency — free
          </a>
          <a href="/login" class={buttonClass("secondary", "px-5 py-3")}>
            Sign in to your workspace
          </a>
        </div>
      </section>
      <section aria-labelledby="features-heading" class="pb-8">
        <h2 id="features-heading" class="sr-only">
          What you get
        </h2>
        <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" role="list">
          {FEATURES.map((feature) => (
            <li class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <h3 class="font-semibold text-slate-900" safe>
                {feature.title}
              </h3>
              <p class="mt-2 text-sm text-slate-600" safe>
                {feature.text}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </PublicPage>
  );
}

export type SignupValues = Partial<Record<"agency_name" | "subdomain" | "first_name" | "last_name" | "email", string>>;

export function SubdomainStatus({ state, message }: { state: "idle" | "available" | "taken" | "invalid"; message: string }) {
  const color = state === "available" ? "text-emerald-700" : state === "idle" ? "text-slate-600" : "text-red-700";
  return (
    <p id="subdomain-status" class={`text-xs font-medium ${color}`} aria-live="polite" safe>
      {message}
    </p>
  );
}

export function SignupPage({ values = {}, errors = {}, baseDomain, formError }: { values?: SignupValues; errors?: FieldErrors; baseDomain: string; formError?: string }) {
  return (
    <PublicPage title="Create your agency · Aggios" nav={<SiteNav />}>
      <h1 class="text-2xl font-semibold tracking-tight">Create your agency</h1>
      <p class="mt-1 text-sm text-slate-600">Your workspace is ready in a few seconds. You will be its owner.</p>
      {formError ? (
        <p role="alert" class="mt-4 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900" safe>
          {formError}
        </p>
      ) : (
        ""
      )}
      <form method="post" action="/signup" class="mt-6 space-y-4" novalidate>
        <Field name="agency_name" label="Agency name" value={values.agency_name} error={errors.agency_name} required autocomplete="organization" maxlength={200} />
        <div class="space-y-1">
          <Field
            name="subdomain"
            label="Workspace address"
            value={values.subdomain}
            error={errors.subdomain}
            required
            autocomplete="off"
            maxlength={63}
            hint="Lower-case letters, digits and hyphens."
            addon={`.${baseDomain}`}
            attrs={{ "hx-get": "/signup/check", "hx-trigger": "input changed delay:300ms", "hx-target": "#subdomain-status", "hx-swap": "outerHTML", autocapitalize: "none", spellcheck: "false" }}
          />
          <SubdomainStatus state="idle" message="" />
        </div>
        <div class="grid gap-4 sm:grid-cols-2">
          <Field name="first_name" label="Your first name" value={values.first_name} error={errors.first_name} required autocomplete="given-name" maxlength={100} />
          <Field name="last_name" label="Your last name" value={values.last_name} error={errors.last_name} required autocomplete="family-name" maxlength={100} />
        </div>
        <Field name="email" type="email" label="Work email" value={values.email} error={errors.email} required autocomplete="email" maxlength={254} />
        <Field name="password" type="password" label="Password" error={errors.password} required autocomplete="new-password" minlength={10} hint="At least 10 characters." />
        <Button class="w-full py-2.5">Create agency</Button>
        <p class="text-center text-sm text-slate-600">
          Already have a workspace?{" "}
          <a href="/login" class="font-medium text-indigo-700 underline-offset-2 hover:underline">
            Sign in
          </a>
        </p>
      </form>
    </PublicPage>
  );
}

export function FindWorkspacePage({ value = "", error, baseDomain }: { value?: string; error?: string; baseDomain: string }) {
  return (
    <PublicPage title="Sign in · Aggios" nav={<SiteNav />}>
      <Card title="Sign in to your workspace" description="Enter your agency's workspace address; we'll take you to its sign-in page.">
        <form method="post" action="/login" class="space-y-4">
          <Field name="subdomain" label="Workspace address" value={value} error={error} required autocomplete="off" maxlength={63} addon={`.${baseDomain}`} attrs={{ autocapitalize: "none", spellcheck: "false" }} />
          <Button class="w-full">Continue</Button>
        </form>
      </Card>
      <p class="mt-6 text-center text-sm text-slate-600">
        New to Aggios?{" "}
        <a href="/signup" class="font-medium text-indigo-700 underline-offset-2 hover:underline">
          Create your agency
        </a>
      </p>
    </PublicPage>
  );
}

/**
 * The answer to a successful sign-up: a form that posts the one-time hand-off
 * token to the new workspace. app.js submits it at once (`data-auto-submit`);
 * without JavaScript the button does.
 */
export function HandoffPage({ action, token, workspace }: { action: string; token: string; workspace: string }) {
  return (
    <PublicPage title="Your workspace is ready · Aggios">
      <Card title="Your workspace is ready" description={`Taking you to ${workspace}…`}>
        <form method="post" action={action} data-auto-submit>
          <input type="hidden" name="token" value={token} />
          <Button class="w-full">Continue to your workspace</Button>
        </form>
      </Card>
    </PublicPage>
  );
}
