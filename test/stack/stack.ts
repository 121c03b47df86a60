// Loads the self-hosting stack files the way their real consumers would:
// docker-compose.yml as Compose parses and interpolates it, traefik/traefik.yml
// as deploy/traefik/entrypoint.sh renders it, and Traefik's docker labels.
// No Docker needed: these checks run in `bun test`.
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

export const root = join(import.meta.dir, "..", "..");
export const readRepoFile = (path: string) => readFileSync(join(root, path), "utf8");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Service = Record<string, any>;
type ServiceName = "traefik" | "app" | "migrate" | "backup" | "postgres" | "redis" | "minio" | "minio-init";
/** A parsed compose file: the services the stack must have are typed as present. */
export type Compose = { services: Record<ServiceName, Service> & Record<string, Service>; [key: string]: any };

/** A complete, plausible .env for tests; secrets are obviously fake. */
export const sampleEnv: Record<string, string> = {
  BASE_DOMAIN: "aggios.app",
  POSTGRES_PASSWORD: "test-superuser-password-0001",
  POSTGRES_OWNER_PASSWORD: "test-owner-password-0002",
  POSTGRES_APP_PASSWORD: "test-app-password-0003",
  POSTGRES_BACKUP_PASSWORD: "test-backup-password-0004",
  REDIS_PASSWORD: "test-redis-password-0005",
  JWT_SECRET: "test-jwt-secret-that-is-at-least-32-bytes-long",
  SESSION_SECRET: "test-session-secret-that-is-long-enough",
  S3_ACCESS_KEY: "aggios-app",
  S3_SECRET_KEY: "test-s3-secret-0006",
  BACKUP_S3_ACCESS_KEY: "aggios-backup",
  BACKUP_S3_SECRET_KEY: "test-s3-backup-secret-0007",
  METRICS_TOKEN: "test-metrics-token-0008",
  INTERNAL_TOKEN: "test-internal-token-0009",
  MINIO_ROOT_USER: "aggios-root",
  MINIO_ROOT_PASSWORD: "test-minio-root-password-0010",
  ACME_EMAIL: "ops@aggios.app",
  ACME_DNS_PROVIDER: "cloudflare",
};

/**
 * Compose's interpolation (compose-spec "Interpolation"): $$ is a literal $,
 * ${VAR}, $VAR, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}.
 * Throws, like `docker compose config`, when a required variable is missing.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  const pattern = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  return text.replace(pattern, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === "$$") return "$";
    const name = (braced ?? bare)!;
    const value = env[name];
    const unset = value === undefined;
    const empty = unset || value === "";
    switch (op) {
      case ":-": return empty ? arg! : value!;
      case "-": return unset ? arg! : value!;
      case ":?": if (empty) throw new Error(`required variable ${name} is missing a value: ${arg}`); return value!;
      case "?": if (unset) throw new Error(`required variable ${name} is missing a value: ${arg}`); return value!;
      default: return value ?? "";
    }
  });
}

export function interpolateDeep(node: Json, env: Record<string, string | undefined>): Json {
  if (typeof node === "string") return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateDeep(item, env));
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, env)]));
  }
  return node;
}

/** docker-compose.yml as written (anchors and `<<` merges resolved, no interpolation). */
export const loadRawCompose = (text = readRepoFile("docker-compose.yml")) =>
  parse(text, { merge: true }) as Compose;

/** docker-compose.yml as Compose would run it with `env` as the .env file. */
export const loadCompose = (env: Record<string, string | undefined> = sampleEnv, text?: string) =>
  interpolateDeep(loadRawCompose(text) as Json, env) as Compose;

/** `environment:` in either list or mapping form, as a mapping. */
export function environmentOf(service: Service): Record<string, string | null> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(
    env.map((entry: string) => {
      const at = entry.indexOf("=");
      return at < 0 ? [entry, null] : [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

/** `labels:` in either list or mapping form, as a mapping. */
export function labelsOf(service: Service): Record<string, string> {
  const labels = service.labels ?? {};
  if (!Array.isArray(labels)) return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(
    labels.map((entry: string) => {
      const at = entry.indexOf("=");
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

export type Router = {
  name: string;
  rule: string;
  priority?: number;
  entryPoints: string[];
  certResolver?: string;
  domains: { main?: string; sans?: string[] }[];
  middlewares: string[];
  service?: string;
};

/** The HTTP routers that Traefik's docker provider builds from these labels. */
export function routersFromLabels(labels: Record<string, string>): Router[] {
  const routers = new Map<string, Router>();
  for (const [key, value] of Object.entries(labels)) {
    const match = /^traefik\.http\.routers\.([^.]+)\.(.+)$/i.exec(key);
    if (!match) continue;
    const [, name, option] = match as unknown as [string, string, string];
    const router = routers.get(name) ?? { name, rule: "", entryPoints: [], domains: [], middlewares: [] };
    routers.set(name, router);
    const domain = /^tls\.domains\[(\d+)\]\.(main|sans)$/i.exec(option);
    if (domain) {
      const slot = (router.domains[Number(domain[1])] ??= {});
      if (domain[2]!.toLowerCase() === "main") slot.main = value;
      else slot.sans = value.split(",");
      continue;
    }
    switch (option.toLowerCase()) {
      case "rule": router.rule = value; break;
      case "priority": router.priority = Number(value); break;
      case "entrypoints": router.entryPoints = value.split(","); break;
      case "middlewares": router.middlewares = value.split(","); break;
      case "service": router.service = value; break;
      case "tls.certresolver": router.certResolver = value; break;
    }
  }
  return [...routers.values()];
}

/** traefik/traefik.yml rendered by deploy/traefik/entrypoint.sh with `env`. */
export function renderTraefikStatic(env: Record<string, string> = sampleEnv, template = "traefik/traefik.yml") {
  const out = join(tmpdir(), `aggios-traefik-${process.pid}-${Math.random().toString(36).slice(2)}.yml`);
  const result = Bun.spawnSync(["sh", join(root, "deploy/traefik/entrypoint.sh"), "--render-only"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env, TRAEFIK_TEMPLATE: join(root, template), TRAEFIK_RENDERED: out },
  });
  const stderr = result.stderr.toString();
  if (result.exitCode !== 0) return { ok: false as const, stderr };
  const text = readFileSync(out, "utf8");
  rmSync(out, { force: true });
  return { ok: true as const, text, config: parse(text) as Record<string, any>, stderr };
}

export const loadTraefikDynamic = (path = "traefik/dynamic/edge.yml") => parse(readRepoFile(path)) as Record<string, any>;
