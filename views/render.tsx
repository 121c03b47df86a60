// One component, two renderings: a plain request gets the whole page, an htmx
// request (HX-Request) only the fragment it swaps in. Both come from the same
// `content`, so every URL also works without JavaScript.
import type { Children } from "@kitajs/html";
import { FlashList } from "./components";
import { Page, type PageProps } from "./layout";

export type HtmlSet = { headers: Record<string, string | number>; status?: number | string };

export function isHtmx(request: Request): boolean {
  return request.headers.get("hx-request") === "true" && request.headers.get("hx-history-restore-request") !== "true";
}

/** Marks a response as HTML that differs by HX-Request and, when signed in, is never cached. */
export function htmlHeaders(set: HtmlSet, options: { private?: boolean } = {}) {
  set.headers["content-type"] = "text/html; charset=utf-8";
  set.headers["vary"] = "HX-Request";
  // Signed-in pages hold tenant data: no shared or back-button cache may keep them.
  set.headers["cache-control"] = options.private === false ? "no-cache" : "no-store";
}

export function html(set: HtmlSet, body: Children, options: { private?: boolean; status?: number } = {}): string {
  htmlHeaders(set, options);
  if (options.status) set.status = options.status;
  return String(body);
}

/** The dashboard page, or only its content (plus any flash, out of band) for htmx. */
export function page(request: Request, set: HtmlSet, props: Omit<PageProps, "children">, content: Children): string {
  htmlHeaders(set);
  if (isHtmx(request) && request.headers.get("hx-request-type") !== "full") {
    return String(content) + (props.flash?.length ? String(<FlashList flash={props.flash} oob />) : "");
  }
  return String(<Page {...props}>{content}</Page>);
}

/** Tells htmx (or the browser, without it) to go elsewhere after a successful action. */
export function redirect(request: Request, set: HtmlSet, location: string): string {
  if (isHtmx(request)) {
    set.status = 200;
    set.headers["hx-redirect"] = location;
    return "";
  }
  set.status = 303;
  set.headers["location"] = location;
  return "";
}
