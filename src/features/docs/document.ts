// The OpenAPI 3.1 document, generated from the routes themselves: the same zod
// schemas that validate requests describe them here (via z.toJSONSchema), so
// the document cannot drift from the code. On top of what each route declares,
// this adds what every route shares: the error shape and its status codes,
// `X-API-Version`, `Idempotency-Key`, and the two security schemes.
import { toOpenAPISchema } from "@elysiajs/openapi";
import type { AnyElysia } from "elysia";
import { z } from "zod";
import type { Config } from "../../config";
import { errorSchema, SECURITY_SCHEMES } from "../../platform/api-docs";
import { API_VERSIONS, DEFAULT_API_VERSION } from "../../platform/http";
import { overview } from "./overview";

const OPENAPI_VERSION = "3.1.1";
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

type Operation = {
  parameters?: unknown[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, unknown>;
  security?: unknown[];
  [extension: `x-${string}`]: unknown;
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const SHARED_RESPONSES = {
  BadRequest: errorResponse("Malformed request, bad cursor, or unsupported `X-API-Version` (`details.supported` lists the versions)."),
  Unauthorized: errorResponse("No credential, or an invalid, expired or revoked one."),
  Forbidden: errorResponse("The credential's role (or an API key's role) does not allow this."),
  NotFound: errorResponse("No such object in your workspace (also for other workspaces' ids)."),
  Conflict: errorResponse("A conflict: e.g. the Idempotency-Key was used with another body, or that request is still running."),
  UnsupportedMediaType: errorResponse("Send `Content-Type: application/json`."),
  ValidationFailed: errorResponse("Validation failed; `details` lists `{field, message}` for each problem."),
  RateLimited: {
    ...errorResponse("Too many requests for this credential; retry after the `Retry-After` header's seconds."),
    headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait." } },
  },
  Unavailable: errorResponse("A dependency (database, cache, storage) is briefly unavailable; retry."),
};

const SHARED_PARAMETERS = {
  ApiVersion: {
    name: "X-API-Version",
    in: "header",
    required: false,
    description: `API version; default \`${DEFAULT_API_VERSION}\`. The response says which one answered.`,
    schema: { type: "string", enum: [...API_VERSIONS], default: DEFAULT_API_VERSION },
  },
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description:
      "Any unique string (e.g. a UUID), 1–255 characters. Retrying with the same key and body within 24 h returns the first response " +
      "(with `Idempotent-Replayed: true`) instead of creating a second object; the same key with another body is a 409.",
    schema: { type: "string", minLength: 1, maxLength: 255 },
  },
};

const ref = (kind: "responses" | "parameters", name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect). Input shape: what a client sends or may rely on. */
const zodToJsonSchema = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
};

function enrich(path: string, method: string, operation: Operation) {
  const secured = Array.isArray(operation.security) && operation.security.length > 0;
  const idempotent = operation["x-aggios-idempotent"] === true;
  operation.parameters = [...(operation.parameters ?? []), ref("parameters", "ApiVersion"), ...(idempotent ? [ref("parameters", "IdempotencyKey")] : [])];
  if (!secured) operation.security = [];

  // Elysia lists JSON, form and multipart for every body; the API speaks JSON
  // (uploads declare multipart themselves).
  const content = operation.requestBody?.content;
  if (content && content["application/json"] && content["application/x-www-form-urlencoded"]) {
    delete content["application/x-www-form-urlencoded"];
    delete content["multipart/form-data"];
  }

  const responses = (operation.responses ??= {});
  if (!Object.keys(responses).some((status) => status.startsWith("2"))) {
    responses[method === "delete" ? "204" : "200"] = { description: method === "delete" ? "Done; no content." : "OK" };
  }
  const add = (status: string, name: keyof typeof SHARED_RESPONSES) => (responses[status] ??= ref("responses", name));
  add("400", "BadRequest");
  if (secured) {
    add("401", "Unauthorized");
    add("403", "Forbidden");
    add("429", "RateLimited");
  }
  if (path.includes("{")) add("404", "NotFound");
  if (idempotent) add("409", "Conflict");
  if (operation.requestBody) add("415", "UnsupportedMediaType");
  if (operation.requestBody || operation.parameters.length > 1) add("422", "ValidationFailed");
  add("503", "Unavailable");
}

export function buildOpenApiDocument(app: AnyElysia, config: Config) {
  const generated = toOpenAPISchema(app, { paths: [/^(?!\/api\/)/] }, undefined, { zod: zodToJsonSchema }, OPENAPI_VERSION);
  // A group's index route is registered as "/api/x/"; clients call "/api/x" (Elysia serves both).
  const paths = Object.fromEntries(Object.entries(generated.paths).map(([path, item]) => [path.replace(/(.)\/$/, "$1"), item])) as Record<
    string,
    Partial<Record<(typeof METHODS)[number], Operation>>
  >;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) enrich(path, method, operation);
    }
  }
  return {
    openapi: OPENAPI_VERSION,
    info: { title: "Aggios API", version: DEFAULT_API_VERSION, description: overview },
    servers: [
      { url: `${config.publicScheme}://api.${config.BASE_DOMAIN}`, description: "The API host: the workspace comes from the credential." },
      { url: "/", description: "This host (a workspace's own address also serves the API)." },
    ],
    tags: [
      { name: "API keys", description: "Credentials for integrations." },
      { name: "Webhooks", description: "Signed HTTP callbacks when things change. See the overview for verification." },
    ],
    paths,
    components: {
      schemas: { ...generated.components.schemas, Error: zodToJsonSchema(errorSchema) },
      responses: SHARED_RESPONSES,
      parameters: SHARED_PARAMETERS,
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
