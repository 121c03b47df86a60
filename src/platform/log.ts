// JSON lines on stdout. Secrets are redacted by path as a second line of
// defence; the first is never putting them in a log call.
import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ["password", "*.password", "token", "*.token", "refresh_token", "*.refresh_token", "authorization", "*.authorization", "cookie", "*.cookie"], censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The one-line-per-request logger: the same output without the redaction pass,
 * which cost ~2 % of the API's CPU (bench/RESULTS.md, S3). Safe only because
 * that line's fields are fixed by code — ids, method, route *pattern* (never
 * the URL with its query string), status, duration and IP; no header, body or
 * query value is ever passed to it.
 */
export function requestLogger(log: Logger): Logger {
  return log.child({}, { redact: [] });
}
