// Helpers for dashboard tests: a cookie-carrying "browser" over app.handle,
// form posts, and the CSRF token read from a rendered page.
import { call, PASSWORD, randomIp, type SignedUp } from "./helpers";
import type { makeApp } from "./helpers";

type TestApp = ReturnType<typeof makeApp>;

export type Browser = { host: string; cookie?: string; csrf?: string; ip: string };

export type PageResponse = { status: number; headers: Headers; text: string; location: string | null };

/** One request as a browser would send it: cookie, form body, Accept: text/html. */
export async function visit(target: TestApp, browser: Browser, method: string, path: string, options: { form?: Record<string, string>; headers?: Record<string, string>; host?: string } = {}): Promise<PageResponse> {
  await target.ready;
  const host = options.host ?? browser.host;
  const headers: Record<string, string> = { host, accept: "text/html", "x-forwarded-for": browser.ip, "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36", ...options.headers };
  if (browser.cookie) headers.cookie = browser.cookie;
  let body: string | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  const response = await target.app.handle(new Request(`http://${host}${path}`, { method, headers, body, redirect: "manual" }));
  const setCookie = response.headers.get("set-cookie");
  if (setCookie) {
    const pair = setCookie.split(";")[0]!;
    browser.cookie = /Max-Age=0/.test(setCookie) ? undefined : pair;
  }
  const text = await response.text();
  const csrf = /X-CSRF-Token&#34;:&#34;([A-Za-z0-9_-]+)&#34;|"X-CSRF-Token":"([A-Za-z0-9_-]+)"/.exec(text);
  if (csrf) browser.csrf = csrf[1] ?? csrf[2];
  return { status: response.status, headers: response.headers, text, location: response.headers.get("location") };
}

/** A browser signed in on `user`'s tenant host through the login form. */
export async function signIn(target: TestApp, user: { host: string; email: string; password?: string }): Promise<Browser> {
  const browser: Browser = { host: user.host, ip: randomIp() };
  const response = await visit(target, browser, "POST", "/login", { form: { email: user.email, password: user.password ?? PASSWORD } });
  if (response.status !== 303 || !browser.cookie) throw new Error(`sign-in failed: ${response.status} ${response.text.slice(0, 300)}`);
  await visit(target, browser, "GET", "/"); // reads the CSRF token
  return browser;
}

/** Invites `email` as `role` through the API and accepts it; returns the new member's credentials. */
export async function addMember(target: TestApp, owner: SignedUp, role: "admin" | "member", names: { first_name?: string; last_name?: string; email?: string } = {}) {
  const email = names.email ?? `${crypto.randomUUID().slice(0, 8)}@example.test`;
  const invited = await call(target, "POST", "/api/invitations", { host: owner.host, token: owner.accessToken, body: { email, role } });
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${invited.text}`);
  const token = invited.json.link.split("/invite/")[1];
  const accepted = await call(target, "POST", "/api/auth/accept-invitation", { host: owner.host, body: { token, password: PASSWORD, first_name: names.first_name ?? "Mia", last_name: names.last_name ?? "Member" } });
  if (accepted.status !== 201) throw new Error(`accept failed: ${accepted.status} ${accepted.text}`);
  return { id: accepted.json.user.id as string, email, host: owner.host, password: PASSWORD, accessToken: accepted.json.access_token as string };
}
