// JSON lines on stdout. Secrets are redacted by path as a second line of
// defence; the first is never putting them in a log call.
import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ["password", "*.password", "token", "*.token", "refresh_token", "*.refresh_token", "authorization", "*.authorization", "cookie", "*.cookie"], censor: "[redacted]" },
  });
}
