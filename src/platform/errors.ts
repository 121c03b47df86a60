// Errors are values with a status; the one error handler in http.ts renders them.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const BadRequest = (code: string, message: string, details?: unknown) => new HttpError(400, code, message, details);
export const Invalid = (message: string, details?: FieldError[]) => new HttpError(422, "validation_failed", message, details);
export const Unauthorized = (message = "Authentication required.") =>
  new HttpError(401, "unauthenticated", message, undefined, { "WWW-Authenticate": 'Bearer realm="aggios"' });
export const Forbidden = (message = "You are not allowed to do that.") => new HttpError(403, "forbidden", message);
export const NotFound = (message = "Not found.") => new HttpError(404, "not_found", message);
export const Conflict = (code: string, message: string) => new HttpError(409, code, message);
export const TooLarge = (message: string) => new HttpError(413, "payload_too_large", message);
export const UnsupportedMediaType = (message: string) => new HttpError(415, "unsupported_media_type", message);
export const TooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(429, "rate_limited", "Too many requests; try again later.", undefined, {
    "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
export const Unavailable = (dependency: string) =>
  new HttpError(503, "service_unavailable", `A dependency is unavailable (${dependency}); try again shortly.`, undefined, { "Retry-After": "5" });

export type FieldError = { field: string; message: string };

export type ErrorBody = { error: { code: string; message: string; details?: unknown; request_id: string } };

export function errorBody(error: HttpError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      request_id: requestId,
    },
  };
}

const POSTGRES_UNAVAILABLE = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "ECONNREFUSED", "ECONNRESET", "57P01", "57P02", "57P03", "57014", "53300"]);

/** Maps a driver failure (Postgres or Redis down, timing out) to a 503; else undefined. */
export function dependencyFailure(error: unknown): HttpError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code;
  if (code && POSTGRES_UNAVAILABLE.has(code)) return Unavailable("database");
  const name = error.name;
  const message = error.message;
  if (name === "MaxRetriesPerRequestError" || /Stream isn't writeable|Connection is closed|Command timed out|enableOfflineQueue|Redis connection is not ready|Reached the max retries/i.test(message)) {
    return Unavailable("cache");
  }
  return undefined;
}

/**
 * PostgreSQL's "data exception" class (22xxx: a NUL byte in text, a value out
 * of range…) means the input could not be stored: a 422, never a 500. The
 * transaction was rolled back, so nothing was half-written.
 */
export function unstorableInput(error: unknown): HttpError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (!(error instanceof Error) || typeof code !== "string" || !/^22[0-9A-Z]{3}$/.test(code)) return undefined;
  return Invalid("A value could not be stored (for example, it contains a NUL character or is out of range).");
}
