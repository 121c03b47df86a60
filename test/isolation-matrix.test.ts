// The isolation matrix, generated from the app's own route table: for every
// route and method, tenant B's token, API key and dashboard session go after
// tenant A's objects — on A's host, on B's host and on the API host. No
// combination may answer 2xx with A's data, and afterwards A's rows are
// exactly as they were.
import { beforeAll, describe, expect, test } from "bun:test";
import { signIn, type Browser } from "./browser-session";
import { BASE, call, makeApp, randomIp, signupTenant, unique, type SignedUp } from "./helpers";

const target = makeApp({ WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" });
const MARKER = unique("secretofa");

type Credential = { name: string; headers: (host: string, csrf?: string) => Record<string, string>; hostOnly?: string };
type Route = { method: string; path: string };

// Routes that anyone may call and that show no tenant's private data, or that
// serve the credential's own tenant whatever the id (the caller's own profile).
const PUBLIC = /^\/(health|ready|metrics|static\/|internal\/|api\/(docs|openapi\.json)|signup|login|logout|forgot-password|reset-password|confirm-email|auth\/handoff|api\/auth\/|$)/;

let a: SignedUp;
let b: SignedUp;
const ids: Record<string, string> = {};
const credentials: Credential[] = [];
let fingerprintOfA: () => Promise<string>;

/** Which of A's objects a `:param` names, by the segment before it. */
function idFor(path: string, param: string): string {
  if (param === "deliveryId") return ids.delivery ?? crypto.randomUUID();
  if (param === "token") return ids.invitationToken!;
  if (param === "file") return "manifest.json";
  const noun = /\/([a-z-]+)\/:[A-Za-z]+(?:\/|$)/.exec(path)?.[1];
  const byNoun: Record<string, string | undefined> = {
    clients: ids.client,
    documents: ids.document,
    invitations: ids.invitation,
    users: ids.member,
    members: ids.member,
    "api-keys": ids.apiKey,
    webhooks: ids.webhook,
    sessions: ids.session,
  };
  return byNoun[noun ?? ""] ?? crypto.randomUUID();
}

const fill = (route: Route) => route.path.replace(/:([A-Za-z]+)/g, (_, param: string) => idFor(route.path, param));

function routes(): Route[] {
  const seen = new Set<string>();
  return target.app.routes
    .filter((route) => ["GET", "POST", "PATCH", "PUT", "DELETE"].includes(route.method) && !route.path.includes("*"))
    .map((route) => ({ method: route.method, path: route.path }))
    .filter((route) => !seen.has(`${route.method} ${route.path}`) && seen.add(`${route.method} ${route.path}`));
}

// Plausible bodies, so a request is refused for who sends it rather than for its shape.
function jsonBody(route: Route) {
  if (route.method === "GET" || route.method === "DELETE") return undefined;
  if (route.path.startsWith("/api/clients")) return { name: "Overwritten by B", status: "inactive" };
  if (route.path.startsWith("/api/users")) return { role: "member" };
  if (route.path.startsWith("/api/tenant")) return { name: "Renamed by B" };
  return {};
}

const formBody = (csrf?: string) => ({ _csrf: csrf ?? "", name: "Overwritten by B", role: "member", status: "inactive", email: `${unique()}@example.test` });

beforeAll(async () => {
  a = await signupTenant(target);
  b = await signupTenant(target);
  const asA = { host: a.host, token: a.accessToken };
  const member = await call(target, "POST", "/api/invitations", { ...asA, body: { email: `${MARKER}-member@example.test`, role: "member" } });
  ids.invitation = member.json.id;
  ids.invitationToken = member.json.link.split("/invite/")[1];
  const client = await call(target, "POST", "/api/clients", { ...asA, body: { name: `${MARKER} client`, email: `${MARKER}@client.test` } });
  ids.client = client.json.id;
  const form = new FormData();
  form.append("file", new Blob([`${MARKER} file contents`], { type: "text/plain" }), `${MARKER}.txt`);
  form.append("client_id", ids.client!);
  const document = await target.app.handle(
    new Request(`http://${a.host}/api/documents`, { method: "POST", headers: { host: a.host, authorization: `Bearer ${a.accessToken}`, "x-forwarded-for": randomIp() }, body: form }),
  );
  ids.document = ((await document.json()) as { id: string }).id;
  const key = await call(target, "POST", "/api/api-keys", { ...asA, body: { name: `${MARKER} key`, role: "admin" } });
  ids.apiKey = key.json.id;
  const hook = await call(target, "POST", "/api/webhooks", { ...asA, body: { url: `http://127.0.0.1:4799/${MARKER}`, events: ["client.created"] } });
  ids.webhook = hook.json.id;
  const members = await call(target, "GET", "/api/users", asA);
  ids.member = members.json.data[0].id;
  for (const [name, value] of Object.entries(ids)) if (!value) throw new Error(`fixture ${name} missing`);

  const bKey = await call(target, "POST", "/api/api-keys", { host: b.host, token: b.accessToken, body: { name: "B's integration", role: "admin" } });
  const bBrowser: Browser = await signIn(target, { host: b.host, email: b.email, password: b.password });
  credentials.push(
    { name: "B's access token", headers: () => ({ authorization: `Bearer ${b.accessToken}` }) },
    { name: "B's API key", headers: () => ({ authorization: `Bearer ${bKey.json.key}` }) },
    { name: "B's session", headers: (_host, csrf) => ({ cookie: bBrowser.cookie!, "x-csrf-token": csrf ?? bBrowser.csrf! }) },
  );

  fingerprintOfA = async () => {
    const tables = await target.deps.db.sql<{ table_name: string }[]>`
      select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by table_name`;
    const parts = tables.map(({ table_name }) => `select '${table_name}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as d from "${table_name}" x where tenant_id = $1`);
    // last_used_at and audit rows of A's own set-up calls are A's; B's calls must add none.
    return JSON.stringify(await target.deps.db.withTenant(a.tenant.id, (tx) => tx.unsafe(parts.join(" union all "), [a.tenant.id])));
  };
});

async function attempt(route: Route, host: string, credential: Credential) {
  const path = fill(route);
  const isApi = path.startsWith("/api/");
  const headers: Record<string, string> = { host, "x-forwarded-for": randomIp(), accept: isApi ? "application/json" : "text/html", ...credential.headers(host) };
  let body: BodyInit | undefined;
  if (route.method !== "GET" && route.method !== "DELETE") {
    if (isApi) {
      body = JSON.stringify(jsonBody(route));
      headers["content-type"] = "application/json";
    } else {
      body = new URLSearchParams(formBody(headers["x-csrf-token"])).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
  }
  const response = await target.app.handle(new Request(`http://${host}${path}`, { method: route.method, headers, body, redirect: "manual" }));
  return { path, status: response.status, text: await response.text() };
}

function leaksA(text: string) {
  const secrets = [MARKER, ids.client, ids.document, ids.apiKey, ids.webhook, ids.invitation, a.user.id, a.email];
  return secrets.filter((secret) => secret && text.includes(secret));
}

describe("isolation matrix: tenant B against tenant A", () => {
  test("the matrix covers the whole route table", () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(60);
    expect(all.filter((route) => route.path.includes(":")).length).toBeGreaterThan(20);
  });

  test("no route, method, host or credential of B answers 2xx with A's data, and A's rows never change", async () => {
    const before = await fingerprintOfA();
    const failures: string[] = [];
    const hosts = [a.host, b.host, `api.${BASE}`];
    for (const route of routes()) {
      for (const host of hosts) {
        for (const credential of credentials) {
          const result = await attempt(route, host, credential);
          const where = `${route.method} ${result.path} on ${host === a.host ? "A's host" : host === b.host ? "B's host" : "the API host"} with ${credential.name}`;
          if (result.status >= 500) failures.push(`${where}: ${result.status}`);
          // The invitation page shows its own invitee to whoever holds the link: the token is the credential there.
          const leaked = route.path.startsWith("/invite/") && host === a.host ? [] : leaksA(result.text);
          if (result.status < 300 && leaked.length > 0) failures.push(`${where}: ${result.status} leaked ${leaked.join(", ")}`);
          // On A's host, B's credential is worth nothing except on public pages.
          if (host === a.host && result.status < 300 && !PUBLIC.test(route.path) && !route.path.startsWith("/invite/")) {
            failures.push(`${where}: ${result.status} on A's host`);
          }
          // An A id in the path, from B's side: never found.
          if (host !== a.host && route.path.includes(":") && result.status < 300 && !PUBLIC.test(route.path) && !/\/(static|api\/docs\/assets)\//.test(route.path)) {
            failures.push(`${where}: ${result.status} for A's id`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await fingerprintOfA()).toBe(before);
  }, 120_000);
});
