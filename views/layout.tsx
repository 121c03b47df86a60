// The page shells. `Page` is the signed-in dashboard (nav, tenant, user menu,
// flash); `PublicPage` serves the apex site and signed-out tenant pages.
// `Document` is the <html> both share: assets, htmx config, CSRF header.
import type { Children, PropsWithChildren } from "@kitajs/html";
import type { Role } from "../src/identity/tokens";
import { assetUrl } from "./assets";
import { type Flash, FlashList, Monogram } from "./components";

export type ShellUser = { id: string; name: string; email: string; role: Role };
export type ShellTenant = { name: string; subdomain: string };
export type NavKey = "overview" | "clients" | "documents" | "team" | "audit" | "settings" | "account";

/** What every signed-in page needs; routes build it once with `shellFor`. */
export type Shell = { user: ShellUser; tenant: ShellTenant; csrfToken: string; flash?: Flash[] };

type NavItem = { key: NavKey; href: string; label: string; minimum: Role };

export const NAV: NavItem[] = [
  { key: "overview", href: "/", label: "Overview", minimum: "member" },
  { key: "clients", href: "/clients", label: "Clients", minimum: "member" },
  { key: "documents", href: "/documents", label: "Documents", minimum: "member" },
  { key: "team", href: "/team", label: "Team", minimum: "member" },
  { key: "audit", href: "/audit", label: "Audit log", minimum: "admin" },
  { key: "settings", href: "/settings", label: "Settings", minimum: "admin" },
];

const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

// htmx: no injected indicator <style> (our CSS carries it), and keep htmx 2's
// rule of not swapping error responses unless an element asks for it. No
// settle step (defaultSettleDelay 0): to animate, htmx copies the old element's
// `style` attribute onto the new one with the same id via setAttribute, which
// `style-src 'self'` blocks (a console CSP error) whenever anything left an
// inline style there — a password manager on an input, Alpine's x-show, a
// test's screenshot (seen after the 2FA confirm swap: #field-code). We use no
// settle transitions.
const HTMX_CONFIG = JSON.stringify({ includeIndicatorCSS: false, noSwap: [204, 304, "5xx"], defaultSwap: "innerHTML", defaultSettleDelay: 0 });

export function Document({ title, csrfToken, bodyClass = "", children }: PropsWithChildren<{ title: string; csrfToken?: string; bodyClass?: string }>) {
  // Without a doctype browsers render in quirks mode.
  return (
    "<!doctype html>" +
    <html lang="en" class="h-full bg-slate-50">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title safe>{title}</title>
        <link rel="stylesheet" href={assetUrl("app.css")} />
        <link rel="icon" href="data:," />
        {/* Deferred scripts run in order: htmx, our Alpine components, then Alpine itself. */}
        <script defer src={assetUrl("htmx.js")}></script>
        <script defer src={assetUrl("app.js")}></script>
        <script defer src={assetUrl("alpine.js")}></script>
      </head>
      {/* Every htmx request inherits the CSRF header (htmx 4 needs `:inherited`). */}
      <body class={`h-full font-sans text-slate-900 antialiased ${bodyClass}`} hx-headers:inherited={csrfToken ? JSON.stringify({ "X-CSRF-Token": csrfToken }) : undefined}>
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded-lg focus:bg-white focus:px-4 focus:py-2 focus:shadow">
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}

function NavLinks({ role, active }: { role: Role; active?: NavKey }) {
  return (
    <ul class="space-y-1" role="list">
      {NAV.filter((item) => RANK[role] >= RANK[item.minimum]).map((item) => (
        <li>
          <a
            href={item.href}
            aria-current={item.key === active ? "page" : undefined}
            class={`flex items-center rounded-lg px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${item.key === active ? "bg-indigo-50 text-indigo-800" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"}`}
            safe
          >
            {item.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

function TenantMark({ tenant }: { tenant: ShellTenant }) {
  return (
    <a href="/" class="flex min-w-0 items-center gap-3 rounded-lg focus-visible:outline-2 focus-visible:outline-indigo-600">
      <Monogram name={tenant.name} />
      <span class="min-w-0">
        <span class="block truncate text-sm font-semibold text-slate-900" safe>
          {tenant.name}
        </span>
        <span class="block truncate text-xs text-slate-500">Aggios workspace</span>
      </span>
    </a>
  );
}

function UserMenu({ user, csrfToken }: { user: ShellUser; csrfToken: string }) {
  return (
    <div class="relative" x-data="menu" {...{ "x-on:keydown.escape": "close", "x-on:click.outside": "close" }}>
      <button
        type="button"
        id="user-menu-button"
        class="flex items-center gap-2 rounded-lg px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        aria-haspopup="true"
        x-bind:aria-expanded="open"
        x-on:click="toggle"
      >
        <Monogram name={user.name} size="sm" />
        {/* On phones only the initials show; the name stays for screen readers. */}
        <span class="sr-only sm:not-sr-only sm:max-w-40 sm:truncate" safe>
          {user.name}
        </span>
        <span aria-hidden="true" class="text-slate-400">
          ▾
        </span>
      </button>
      <div
        x-show="open"
        x-cloak
        class="absolute right-0 z-20 mt-2 w-64 rounded-xl border border-slate-200 bg-white p-2 shadow-lg"
        role="menu"
        aria-labelledby="user-menu-button"
      >
        <div class="border-b border-slate-100 px-3 pb-2 pt-1">
          <p class="truncate text-sm font-medium text-slate-900" safe>
            {user.name}
          </p>
          <p class="truncate text-xs text-slate-600" safe>
            {user.email}
          </p>
          <p class="mt-1 text-xs capitalize text-slate-500">
            {user.role}
          </p>
        </div>
        <a href="/account" role="menuitem" class="mt-1 block rounded-lg px-3 py-2 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600">
          Your account
        </a>
        <form method="post" action="/logout">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button type="submit" role="menuitem" class="block w-full rounded-lg px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600">
            Sign out
          </button>
        </form>
      </div>
    </div>
  );
}

export type PageProps = PropsWithChildren<Shell & { title: string; active?: NavKey }>;

/** The signed-in dashboard page: sidebar on wide screens, a menu button on phones. */
export function Page({ title, active, user, tenant, csrfToken, flash, children }: PageProps) {
  return (
    <Document title={`${title} · ${tenant.name}`} csrfToken={csrfToken}>
      <div x-data="sidebar" class="min-h-full">
        {/* Phone: top bar with a menu button; the nav slides over the page. */}
        <div class="sticky top-0 z-30 flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3 lg:hidden">
          <button
            type="button"
            class="rounded-lg p-2 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
            x-on:click="toggle"
            x-bind:aria-expanded="open"
            aria-controls="sidebar"
          >
            <span class="sr-only">Open navigation</span>
            <span aria-hidden="true" class="block text-lg leading-none">
              ☰
            </span>
          </button>
          <TenantMark tenant={tenant} />
          <UserMenu user={user} csrfToken={csrfToken} />
        </div>
        <div x-show="open" x-cloak class="fixed inset-0 z-30 bg-slate-900/40 lg:hidden" x-on:click="close" aria-hidden="true"></div>
        <nav
          id="sidebar"
          aria-label="Main"
          class="fixed inset-y-0 left-0 z-40 flex w-64 -translate-x-full flex-col gap-6 border-r border-slate-200 bg-white px-4 py-5 transition-transform lg:translate-x-0"
          x-bind:class="open ? 'translate-x-0' : ''"
        >
          <TenantMark tenant={tenant} />
          <NavLinks role={user.role} active={active} />
          <p class="mt-auto px-3 text-xs text-slate-500">Powered by Aggios</p>
        </nav>
        <div class="lg:pl-64">
          <header class="hidden items-center justify-end border-b border-slate-200 bg-white px-8 py-3 lg:flex">
            <UserMenu user={user} csrfToken={csrfToken} />
          </header>
          <main id="main" tabindex="-1" class="mx-auto max-w-6xl px-4 py-6 focus:outline-none sm:px-6 lg:px-8 lg:py-8">
            <div class="mb-4">
              <FlashList flash={flash} />
            </div>
            <div id="content">{children}</div>
          </main>
        </div>
      </div>
    </Document>
  );
}

/** Apex site and signed-out tenant pages (login, invitation). */
export function PublicPage({ title, heading, flash, wide = false, nav, children }: PropsWithChildren<{ title: string; heading?: Children; flash?: Flash[]; wide?: boolean; nav?: Children }>) {
  return (
    <Document title={title}>
      <div class="flex min-h-full flex-col">
        <header class="border-b border-slate-200 bg-white">
          <div class="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
            {heading ?? <AggiosMark />}
            {nav ?? ""}
          </div>
        </header>
        <main id="main" tabindex="-1" class={`mx-auto w-full flex-1 px-4 py-10 focus:outline-none sm:px-6 ${wide ? "max-w-6xl" : "max-w-md"}`}>
          <div class="mb-4">
            <FlashList flash={flash} />
          </div>
          {children}
        </main>
        <footer class="border-t border-slate-200 bg-white py-6 text-center text-xs text-slate-500">Aggios — the workspace for agencies. Self-hostable, open by design.</footer>
      </div>
    </Document>
  );
}

export function AggiosMark({ href = "/" }: { href?: string }) {
  return (
    <a href={href} class="flex items-center gap-2 rounded-lg text-base font-bold tracking-tight text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
      <span aria-hidden="true" class="inline-flex h-8 w-8 items-center justify-center rounded-lg bg-indigo-600 text-white">
        A
      </span>
      Aggios
    </a>
  );
}
