// The one place that reads the environment. Everything else imports `config`.
import { z } from "zod";

const DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-0123456789abcdef";
const DEV_SESSION_SECRET = "dev-only-session-secret-change-me-0123456789ab";
const DEV_SECRETS = new Set([DEV_JWT_SECRET, DEV_SESSION_SECRET]);

const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

const optionalUrl = z.preprocess((value) => (value === "" ? undefined : value), z.url().optional());

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    BASE_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+$/, "lower-case host name without scheme or port")
      .default("localhost"),
    PUBLIC_SCHEME: z.enum(["http", "https"]).optional(),
    DATABASE_URL: z.url().default("postgres://aggios_app:aggios_app@127.0.0.1:5432/aggios"),
    MIGRATION_DATABASE_URL: z.url().default("postgres://aggios_owner:aggios_owner@127.0.0.1:5432/aggios"),
    // Development only: the local superuser that may create the database and roles.
    DATABASE_BOOTSTRAP_URL: optionalUrl,
    DATABASE_REPLICA_URL: optionalUrl,
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.url().default("redis://127.0.0.1:6379/0"),
    JWT_SECRET: z.string().default(DEV_JWT_SECRET),
    SESSION_SECRET: z.string().default(DEV_SESSION_SECRET),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    STORAGE_DRIVER: z.enum(["disk", "s3"]).default("disk"),
    STORAGE_DIR: z.string().default("./data/storage"),
    S3_ENDPOINT: optionalUrl,
    S3_REGION: z.string().default("us-east-1"),
    S3_ACCESS_KEY: z.string().optional(),
    S3_SECRET_KEY: z.string().optional(),
    S3_BUCKET: z.string().default("aggios"),
    // Server-side encryption for stored objects, e.g. "AES256" (S3-managed keys); empty = none.
    S3_SSE: z.enum(["AES256", "aws:kms"]).optional(),
    S3_BACKUP_BUCKET: z.string().default("aggios-backups"),
    // `bun run backup`: the role pg_dump connects as. It must read every row,
    // so it needs BYPASSRLS (compose: aggios_backup); default: the schema owner.
    BACKUP_DATABASE_URL: optionalUrl,
    // Dumps kept (newest first); older ones are deleted after each backup.
    BACKUP_RETENTION: z.coerce.number().int().min(1).max(10_000).default(14),
    // Where dumps go when STORAGE_DRIVER=disk (S3_BACKUP_BUCKET otherwise).
    BACKUP_DIR: z.string().default("./data/backups"),
    MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(10_240).default(25),
    CORS_ORIGINS: z
      .string()
      .default("")
      .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean))
      .pipe(z.array(z.url())),
    METRICS_TOKEN: z.string().optional(),
    INTERNAL_TOKEN: z.string().optional(),
    SMTP_URL: optionalUrl,
    TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
    // Webhook targets that may resolve to private or loopback addresses (SSRF
    // guard, features/webhooks/ssrf.ts): exact host names or IPs, comma-separated.
    WEBHOOK_ALLOWED_HOSTS: z
      .string()
      .default("")
      .transform((value) => value.split(",").map((host) => host.trim().toLowerCase().replace(/^\[|\]$/g, "")).filter(Boolean)),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(10),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_DRIVER === "s3" && !(env.S3_ENDPOINT && env.S3_ACCESS_KEY && env.S3_SECRET_KEY)) {
      ctx.addIssue({ code: "custom", path: ["S3_ENDPOINT"], message: "S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY are required when STORAGE_DRIVER=s3" });
    }
    if (env.NODE_ENV !== "production") return;
    for (const name of ["JWT_SECRET", "SESSION_SECRET"] as const) {
      if (DEV_SECRETS.has(env[name])) {
        ctx.addIssue({ code: "custom", path: [name], message: "must be set in production (the default is public)" });
      } else if (Buffer.byteLength(env[name]) < 32) {
        ctx.addIssue({ code: "custom", path: [name], message: "must be at least 32 bytes" });
      }
    }
  });

export type Config = z.infer<typeof schema> & { publicScheme: "http" | "https" };

export class ConfigError extends Error {}

/** Parses an environment; throws a ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty assignment (as copied from .env.example) means "use the default".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const parsed = result.data;
  if (parsed.JWT_SECRET.length < 32) throw new ConfigError("Invalid configuration:\n  JWT_SECRET: must be at least 32 bytes");
  const bootstrap = parsed.DATABASE_BOOTSTRAP_URL ?? (parsed.NODE_ENV === "production" ? undefined : "postgres://postgres@127.0.0.1:5432/postgres");
  return {
    ...parsed,
    DATABASE_BOOTSTRAP_URL: bootstrap,
    publicScheme: parsed.PUBLIC_SCHEME ?? (parsed.NODE_ENV === "production" ? "https" : "http"),
  };
}

function loadOrExit(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`aggios: ${error.message}`);
    process.exit(1);
  }
}

export const config: Config = loadOrExit();
