// Property-based bad input against every JSON route in the app's route table:
// never a 5xx, always the SPEC error shape, and a rejected request changes no row.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { signIn, visit } from "./browser-session";
import { call, makeApp, signupTenant, type SignedUp } from "./helpers";

const target = makeApp();
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.constantFrom("", " ", "\u0000", "'; drop table users; --", "<script>alert(1)</script>", "../../etc/passwd", "\u202e\ufeff", "😀".repeat(300)),
  fc.integer({ min: 1, max: 200_000 }).map((length) => "x".repeat(length)),
);
const pollutionKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty");
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), pollutionKey), tie("value"), { maxKeys: 5 }),
  ),
})).value;

// Bodies that look almost right: the route's own field names with wrong or hostile values.
const FIELDS = ["email", "password", "agency_name", "subdomain", "first_name", "last_name", "refresh_token", "name", "role", "status", "url", "events", "token"];
const nearMiss = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), pollutionKey), jsonValue, { maxKeys: 8 });

const malformed = fc.constantFrom("{", "{\"a\":", "[1,2", "null", "\"str\"", "{\"__proto__\":{\"polluted\":1}}", "\u0000", "{\"a\":1}}", "x".repeat(10_000));

type Route = { method: string; path: string };

function apiRoutes(): Route[] {
  const seen = new Set<string>();
  return target.app.routes
    .filter((route) => route.path.startsWith("/api/") && ["GET", "POST", "PATCH", "PUT", "DELETE"].includes(route.method))
    .map((route) => ({ method: route.method, path: route.path }))
    .filter((route) => !seen.has(`${route.method} ${route.path}`) && seen.add(`${route.method} ${route.path}`));
}

const fillParams = (path: string, value: string) => path.replace(/:[A-Za-z_]+/g, encodeURIComponent(value));

let tenantTables: string[] | undefined;

/** Every tenant table's rows for one tenant, digested in one round trip. */
async function tenantFingerprint(owner: SignedUp): Promise<string> {
  tenantTables ??= (
    await target.deps.db.sql<{ table_name: string }[]>`
      select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by table_name`
  ).map((row) => row.table_name);
  const parts = tenantTables.map(
    (table) => `select '${table}' as name, count(*) as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${table}" t where tenant_id = $1`,
  );
  return target.deps.db.withTenant(owner.tenant.id, async (tx) => {
    // Table names come from the catalog, never from input.
    const rows = await tx.unsafe(parts.join(" union all "), [owner.tenant.id]);
    return JSON.stringify(rows);
  });
}

function assertSafe(route: Route, response: { status: number; json: any; text: string }) {
  if (response.status >= 500) throw new Error(`${route.method} ${route.path} answered ${response.status}: ${response.text.slice(0, 300)}`);
  if (response.status >= 400 && response.status !== 404) {
    expect(response.json?.error?.code).toBeString();
    expect(response.json?.error?.request_id).toBeString();
  }
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
}

describe("fuzzing every JSON route", () => {
  test("the route table has the core routes", () => {
    const names = apiRoutes().map((route) => `${route.method} ${route.path}`);
    expect(names).toEqual(expect.arrayContaining(["POST /api/auth/signup", "POST /api/auth/login", "POST /api/auth/refresh", "POST /api/auth/logout", "GET /api/users/me"]));
  });

  for (const route of apiRoutes()) {
    test(`${route.method} ${route.path}: random, near-miss and malformed bodies never 5xx, and a rejected one changes nothing`, async () => {
      const owner = await signupTenant(target);
      const hasBody = route.method !== "GET" && route.method !== "DELETE";
      await fc.assert(
        fc.asyncProperty(fc.oneof(jsonValue, nearMiss), nastyString, async (body, param) => {
          const before = await tenantFingerprint(owner);
          const response = await call(target, route.method, fillParams(route.path, param), {
            host: owner.host,
            token: owner.accessToken,
            ...(hasBody ? { body } : {}),
          });
          assertSafe(route, response);
          if (response.status >= 400) expect(await tenantFingerprint(owner)).toBe(before);
          return true;
        }),
        { numRuns: RUNS },
      );
      if (hasBody) {
        await fc.assert(
          fc.asyncProperty(malformed, fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"), async (raw, type) => {
            const before = await tenantFingerprint(owner);
            const response = await call(target, route.method, fillParams(route.path, crypto.randomUUID()), {
              host: owner.host,
              token: owner.accessToken,
              rawBody: raw,
              headers: { "content-type": type },
            });
            assertSafe(route, response);
            if (response.status >= 400) expect(await tenantFingerprint(owner)).toBe(before);
            return true;
          }),
          { numRuns: Math.ceil(RUNS / 2) },
        );
      }
    });
  }
});

// Form fields the dashboard's forms use, with hostile values; plus unknown and pollution keys.
const FORM_FIELDS = ["name", "email", "password", "current_password", "new_password", "role", "status", "domain", "first_name", "last_name", "agency_name", "subdomain", "notes", "tags", "company", "phone", "q", "next"];
const formBody = fc.dictionary(fc.oneof(fc.constantFrom(...FORM_FIELDS), pollutionKey, fc.string({ maxLength: 20 })), nastyString.map(String), { maxKeys: 8 });

function formRoutes(): Route[] {
  const seen = new Set<string>();
  return target.app.routes
    .filter((route) => route.method === "POST" && !route.path.startsWith("/api/") && !route.path.includes("*"))
    .map((route) => ({ method: route.method, path: route.path }))
    .filter((route) => !seen.has(route.path) && seen.add(route.path));
}

describe("fuzzing every HTML form", () => {
  test("the route table has the dashboard's forms", () => {
    expect(formRoutes().map((route) => route.path)).toEqual(expect.arrayContaining(["/login", "/signup", "/clients/", "/settings/general"]));
  });

  for (const route of formRoutes()) {
    test(`POST ${route.path}: hostile form fields never 5xx, and a rejected post changes nothing`, async () => {
      const owner = await signupTenant(target);
      const browser = await signIn(target, owner);
      const host = route.path === "/signup" ? target.deps.config.BASE_DOMAIN : owner.host;
      await fc.assert(
        fc.asyncProperty(formBody, nastyString, async (fields, param) => {
          const before = await tenantFingerprint(owner);
          const form = { ...fields, _csrf: browser.csrf! };
          const response = await visit(target, { ...browser }, "POST", fillParams(route.path, param), { form, host });
          if (response.status >= 500) throw new Error(`POST ${route.path} answered ${response.status}: ${response.text.slice(0, 300)}`);
          if (response.status >= 400) expect(await tenantFingerprint(owner)).toBe(before);
          expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
          return true;
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe("fuzzing query strings and path segments of every GET route", () => {
  test("pollution keys and hostile values in the query or a path parameter never 5xx", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const gets = target.app.routes.filter((route) => route.method === "GET" && !route.path.includes("*"));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...gets), fc.dictionary(fc.oneof(fc.constantFrom("q", "status", "cursor", "limit", "notice", "next", "token", "client_id"), pollutionKey), fc.oneof(nastyString, pollutionKey), { maxKeys: 4 }), fc.oneof(nastyString, pollutionKey), async (route, query, param) => {
        const path = `${fillParams(route.path, param)}?${new URLSearchParams(query)}`;
        const response = await visit(target, { ...browser }, "GET", path);
        if (response.status >= 500) throw new Error(`GET ${path} answered ${response.status}`);
        return true;
      }),
      { numRuns: RUNS * 8 },
    );
  });
});

describe("values PostgreSQL cannot store", () => {
  test("a NUL character in text is a 4xx through the API and the forms, and nothing is stored", async () => {
    const owner = await signupTenant(target);
    const before = await tenantFingerprint(owner);
    const asOwner = { host: owner.host, token: owner.accessToken };
    expect((await call(target, "PATCH", "/api/tenant", { ...asOwner, body: { name: "Acme\u0000" } })).status).toBe(422);
    expect((await call(target, "POST", "/api/clients", { ...asOwner, body: { name: "a\u0000b" } })).status).toBe(422);
    const browser = await signIn(target, owner);
    const form = await visit(target, { ...browser }, "POST", "/settings/general", { form: { name: "\u0000", _csrf: browser.csrf! } });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    // Signing in wrote a session and an audit row; the rejected writes added nothing else.
    const after = JSON.parse(await tenantFingerprint(owner)) as { name: string }[];
    const changed = after.filter((row, index) => JSON.stringify(row) !== JSON.stringify((JSON.parse(before) as unknown[])[index])).map((row) => row.name);
    expect(changed.filter((name) => name !== "audit_log")).toEqual([]);
  });
});

describe("body limits", () => {
  test("a JSON or form body over 1 MiB is a 413 before it is parsed", async () => {
    const owner = await signupTenant(target);
    const huge = JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) });
    const json = await call(target, "POST", "/api/clients", { host: owner.host, token: owner.accessToken, rawBody: huge, headers: { "content-type": "application/json", "content-length": String(huge.length) } });
    expect(json.status).toBe(413);
    expect(json.json.error.code).toBe("payload_too_large");
    const form = await call(target, "POST", "/login", { host: owner.host, rawBody: `email=${"x".repeat(1024 * 1024 + 10)}`, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(1024 * 1024 + 16) } });
    expect(form.status).toBe(413);
  });
});
