// HTML error pages for browsers (the JSON shape stays for /api and API clients).
import type { HttpError } from "../src/platform/errors";
import { buttonClass } from "./components";
import { PublicPage } from "./layout";
import { isHtmx } from "./render";

const TITLES: Record<number, string> = {
  400: "That request did not make sense",
  403: "You can't do that here",
  404: "Page not found",
  409: "That conflicts with something",
  413: "That is too large",
  422: "Please check the form",
  429: "Slow down a little",
  503: "We'll be right back",
};

export function ErrorPage({ status, message }: { status: number; message: string }) {
  const title = TITLES[status] ?? "Something went wrong";
  return (
    <PublicPage title={`${title} · Aggios`}>
      <div class="rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <p class="text-sm font-semibold text-indigo-700">Error {status}</p>
        <h1 class="mt-2 text-2xl font-semibold tracking-tight" safe>
          {title}
        </h1>
        <p class="mt-3 text-sm text-slate-600" safe>
          {message}
        </p>
        <a href="/" class={buttonClass("primary", "mt-6")}>
          Go to the start page
        </a>
      </div>
    </PublicPage>
  );
}

function wantsHtml(request: Request): boolean {
  const path = new URL(request.url).pathname;
  if (path.startsWith("/api/") || path.startsWith("/static/") || path === "/health" || path === "/ready" || path === "/metrics") return false;
  return isHtmx(request) || (request.headers.get("accept") ?? "").includes("text/html");
}

/** httpPlugin's `renderHtmlError`: an HTML page (or an htmx alert) for browsers, undefined for API callers. */
export function renderHtmlError(error: HttpError, request: Request): string | undefined {
  if (error.code === "login_required") return "";
  if (!wantsHtml(request)) return undefined;
  if (isHtmx(request)) {
    return String(
      <div role="alert" class="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900" safe>
        {error.message}
      </div>,
    );
  }
  return String(<ErrorPage status={error.status} message={error.message} />);
}
