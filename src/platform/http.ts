// Cross-cutting HTTP behaviour: request ids, client IP, security headers, one
// log line per request, and the one error handler that renders SPEC §5 errors.
import { Elysia } from "elysia";
import type { Config } from "../config";
import { requestLogger, type Logger } from "./log";
import type { Metrics } from "./metrics";
import type { RequestTracing } from "./tracing";
import { dependencyFailure, unstorableInput, errorBody, HttpError, Invalid, NotFound, BadRequest, UnsupportedMediaType, TooLarge } from "./errors";

export type RequestMeta = {
  requestId: string;
  startedAt: number;
  ip: string;
  tenantId?: string;
  userId?: string;
};

const metas = new WeakMap<Request, RequestMeta>();
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
// JSON and form bodies are small; only multipart uploads may approach MAX_UPLOAD_MB.
export const NON_UPLOAD_BODY_LIMIT = 1024 * 1024;

// SPEC §5: clients pin the API's shape with `X-API-Version`; absent means the
// oldest supported one, so integrations written today keep working.
export const API_VERSIONS = ["v1"] as const;
export const DEFAULT_API_VERSION = "v1";

/** Per-request facts, available to every hook and handler through the Request. */
export function requestMeta(request: Request): RequestMeta {
  let meta = metas.get(request);
  if (!meta) {
    meta = { requestId: crypto.randomUUID(), startedAt: performance.now(), ip: "unknown" };
    metas.set(request, meta);
  }
  return meta;
}

export function securityHeaders(config: Config): Record<string, string> {
  const tenantOrigins = `${config.publicScheme}://*.${config.BASE_DOMAIN}${config.publicScheme === "http" ? ":*" : ""}`;
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    // No inline scripts, no eval (Alpine runs its CSP build); forms may post to
    // tenant hosts because the apex login hands off to them.
    "Content-Security-Policy": [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      `form-action 'self' ${tenantOrigins}`,
      "frame-ancestors 'none'",
    ].join("; "),
  };
  if (config.publicScheme === "https") headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}

function negotiateApiVersion(request: Request): string {
  const asked = request.headers.get("x-api-version")?.trim().toLowerCase() || DEFAULT_API_VERSION;
  if ((API_VERSIONS as readonly string[]).includes(asked)) return asked;
  throw BadRequest("unsupported_api_version", `API version ${JSON.stringify(asked.slice(0, 20))} is not supported.`, { supported: API_VERSIONS });
}

function clientIp(request: Request, server: { requestIP(request: Request): { address: string } | null } | null, trustProxy: boolean) {
  if (trustProxy) {
    // Traefik appends the address it saw; anything to its left is client-supplied.
    const forwarded = request.headers.get("x-forwarded-for")?.split(",").map((part) => part.trim()).filter(Boolean);
    const last = forwarded?.at(-1);
    if (last) return last;
  }
  return server?.requestIP(request)?.address ?? "unknown";
}

function validationDetails(error: unknown) {
  const all = (error as { all?: { path?: string; message?: string; summary?: string }[] }).all ?? [];
  // Only field names and messages: Elysia's own error would echo the input, passwords included.
  return all.slice(0, 20).map((issue) => ({ field: String(issue.path ?? "root").replace(/^\//, "").replaceAll("/", ".") || "root", message: issue.message ?? issue.summary ?? "invalid" }));
}

function toHttpError(code: string | number, error: unknown, log: Logger, meta: RequestMeta): HttpError {
  if (error instanceof HttpError) return error;
  switch (code) {
    case "VALIDATION":
      return Invalid("The request is not valid.", validationDetails(error));
    case "PARSE":
      return BadRequest("malformed_body", "The request body could not be parsed.");
    case "NOT_FOUND":
      return NotFound("No such route.");
    case "INVALID_COOKIE_SIGNATURE":
      return BadRequest("invalid_cookie", "A cookie was tampered with.");
  }
  const unstorable = unstorableInput(error);
  if (unstorable) return unstorable;
  const dependency = dependencyFailure(error);
  if (dependency) {
    log.warn({ request_id: meta.requestId, err: (error as Error).message }, "dependency failure");
    return dependency;
  }
  if ((error as { status?: number }).status === 413 || /body.*(too large|exceed)/i.test((error as Error)?.message ?? "")) {
    return TooLarge("The request body is too large.");
  }
  log.error({ request_id: meta.requestId, err: error }, "unhandled error");
  return new HttpError(500, "internal_error", "Something went wrong on our side.");
}

export function httpPlugin(options: { config: Config; log: Logger; renderHtmlError?: (error: HttpError, request: Request) => string | undefined; metrics?: Metrics; tracing?: RequestTracing | null }) {
  const { config, log } = options;
  const headers = securityHeaders(config);
  const accessLog = requestLogger(log);
  return new Elysia({ name: "http" })
    .onRequest(({ request, set, server }) => {
      const meta = requestMeta(request);
      const incoming = request.headers.get("x-request-id");
      if (incoming && SANE_REQUEST_ID.test(incoming)) meta.requestId = incoming;
      options.tracing?.start(request, meta.requestId);
      meta.ip = clientIp(request, server, config.TRUST_PROXY);
      Object.assign(set.headers, headers, { "X-Request-Id": meta.requestId });
      const url = new URL(request.url);
      if (url.pathname.startsWith("/api/")) set.headers["X-API-Version"] = negotiateApiVersion(request);
      if (BODY_METHODS.has(request.method) && request.body) {
        const type = request.headers.get("content-type") ?? "";
        if (url.pathname.startsWith("/api/") && !/^application\/json\b|^multipart\/form-data\b/i.test(type)) {
          throw UnsupportedMediaType("Send JSON (Content-Type: application/json).");
        }
        // A parsed body is held in memory whole: cap everything but uploads early.
        const length = Number(request.headers.get("content-length") ?? 0);
        if (!/^multipart\/form-data\b/i.test(type) && length > NON_UPLOAD_BODY_LIMIT) {
          throw TooLarge(`Request bodies other than file uploads are limited to ${NON_UPLOAD_BODY_LIMIT / 1024} KiB.`);
        }
      }
    })
    .onError({ as: "global" }, ({ code, error, request, set }) => {
      const meta = requestMeta(request);
      const failure = toHttpError(code, error, log, meta);
      set.status = failure.status;
      Object.assign(set.headers, headers, failure.headers, { "X-Request-Id": meta.requestId });
      const html = options.renderHtmlError?.(failure, request);
      if (html !== undefined) {
        set.headers["content-type"] = "text/html; charset=utf-8";
        return html;
      }
      set.headers["content-type"] = "application/json";
      return JSON.stringify(errorBody(failure, meta.requestId));
    })
    .onAfterResponse({ as: "global" }, ({ request, set, route }) => {
      const meta = requestMeta(request);
      const status = typeof set.status === "number" ? set.status : 200;
      const seconds = (performance.now() - meta.startedAt) / 1000;
      options.metrics?.observeRequest(request.method, route, status, seconds);
      options.tracing?.end(request, { route, status, tenantId: meta.tenantId, userId: meta.userId });
      accessLog.info({
        request_id: meta.requestId,
        method: request.method,
        route,
        status,
        duration_ms: Math.round(seconds * 10_000) / 10,
        tenant_id: meta.tenantId,
        user_id: meta.userId,
        ip: meta.ip,
      });
    });
}
