// The init scripts under deploy/. The PostgreSQL one runs for real against a
// throwaway cluster when initdb is on this machine.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRepoFile, root } from "./stack";

function readdirSafe(path: string) {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

const shellScripts = ["deploy/postgres/init.sh", "deploy/minio/init.sh", "deploy/traefik/entrypoint.sh"];

describe("deploy scripts", () => {
  for (const script of shellScripts) {
    test(`${script} is valid POSIX sh and stops on errors`, () => {
      const check = Bun.spawnSync(["sh", "-n", join(root, script)]);
      expect(check.stderr.toString()).toBe("");
      expect(check.exitCode).toBe(0);
      expect(readRepoFile(script)).toMatch(/^set -eu$/m);
    });
  }

  test("MinIO policies are valid JSON and reach only their own bucket", () => {
    for (const file of readdirSync(join(root, "deploy/minio")).filter((f) => f.endsWith(".json"))) {
      const policy = JSON.parse(readRepoFile(`deploy/minio/${file}`));
      for (const statement of policy.Statement) {
        expect(statement.Effect).toBe("Allow");
        for (const resource of statement.Resource as string[]) expect(resource).toMatch(/^arn:aws:s3:::@BUCKET@(\/\*)?$/);
        for (const action of statement.Action as string[]) expect(action).not.toMatch(/\*|Policy|DeleteObjectVersion|DeleteBucket/);
      }
    }
  });
});

// --- deploy/postgres/init.sh against a real, disposable PostgreSQL ----------

// Debian keeps initdb and pg_ctl out of PATH, under /usr/lib/postgresql/N/bin.
const debianBins = readdirSafe("/usr/lib/postgresql").sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`);
const findBin = (name: string) => Bun.which(name) ?? Bun.which(name, { PATH: debianBins.join(":") });
const initdb = findBin("initdb");
const pgCtl = findBin("pg_ctl");
const psqlBin = findBin("psql");
const asRoot = process.getuid?.() === 0;
const postgresId = (flag: "-u" | "-g") => Number(Bun.spawnSync(["id", flag, "postgres"]).stdout.toString().trim() || NaN);
// initdb refuses to run as root; CI runs as root, so drop to `postgres`.
const runuser = Bun.which("runuser") ?? Bun.which("runuser", { PATH: "/usr/sbin:/sbin" });
const available = Boolean(initdb && pgCtl && psqlBin) && (!asRoot || (Boolean(runuser) && Number.isInteger(postgresId("-u"))));
const asPostgres = (cmd: string[]) => (asRoot ? [runuser!, "-u", "postgres", "--", ...cmd] : cmd);

describe.skipIf(!available)("deploy/postgres/init.sh on a throwaway cluster", () => {
  let dir = "";
  const port = String(56000 + (process.pid % 1000));
  const passwords = {
    POSTGRES_OWNER_PASSWORD: "owner-password-0123456789",
    POSTGRES_APP_PASSWORD: "app-password-0123456789",
    POSTGRES_BACKUP_PASSWORD: "backup-password-0123456789",
  };
  const env = () => ({ PATH: process.env.PATH!, PGHOST: dir, PGPORT: port, POSTGRES_USER: "postgres" });
  const psql = (sql: string, user = "postgres", database = "postgres") => {
    const run = Bun.spawnSync(asPostgres([psqlBin!, "-XAtq", "-U", user, "-d", database, "-c", sql]), { env: env() });
    if (run.exitCode !== 0) throw new Error(run.stderr.toString());
    return run.stdout.toString().trim();
  };
  const runInit = (overrides: Record<string, string> = {}) =>
    Bun.spawnSync(asPostgres(["env", ...Object.entries({ ...passwords, ...overrides }).map(([k, v]) => `${k}=${v}`), "sh", join(root, "deploy/postgres/init.sh")]), {
      env: env(),
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "aggios-pg-"));
    if (asRoot) chownSync(dir, postgresId("-u"), postgresId("-g"));
    const data = join(dir, "data");
    const init = Bun.spawnSync(asPostgres([initdb!, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]));
    if (init.exitCode !== 0) throw new Error(init.stderr.toString());
    const start = Bun.spawnSync(
      asPostgres([pgCtl!, "-D", data, "-w", "-o", `-c listen_addresses='' -c unix_socket_directories=${dir} -p ${port}`, "-l", join(dir, "log"), "start"]),
    );
    if (start.exitCode !== 0) throw new Error(start.stderr.toString() + start.stdout.toString());
  }, 60_000);

  afterAll(() => {
    if (!dir) return;
    Bun.spawnSync(asPostgres([pgCtl!, "-D", join(dir, "data"), "-m", "immediate", "stop"]));
    rmSync(dir, { recursive: true, force: true });
  });

  test("refuses a password that cannot go into a URL unencoded", () => {
    const run = runInit({ POSTGRES_APP_PASSWORD: "pass@word/with:reserved-chars" });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr.toString()).toContain("POSTGRES_APP_PASSWORD");
    expect(psql("select count(*) from pg_roles where rolname like 'aggios_%'")).toBe("0");
  });

  test("creates the three roles with the attributes RLS depends on", () => {
    const run = runInit();
    expect(run.stderr.toString()).toBe("");
    expect(run.exitCode).toBe(0);
    const roles = psql(
      "select rolname, rolsuper, rolbypassrls, rolcanlogin, rolcreaterole, rolcreatedb from pg_roles where rolname like 'aggios_%' order by 1",
    );
    expect(roles.split("\n")).toEqual([
      "aggios_app|f|f|t|f|f",
      "aggios_backup|f|t|t|f|f",
      "aggios_owner|f|t|t|f|f",
    ]);
    expect(psql("select pg_has_role('aggios_backup', 'pg_read_all_data', 'member')")).toBe("t");
    expect(psql("select pg_has_role('aggios_app', 'pg_read_all_data', 'member')")).toBe("f");
  });

  test("the database is owned by aggios_owner and closed to PUBLIC", () => {
    expect(psql("select pg_get_userbyid(datdba) from pg_database where datname = 'aggios'")).toBe("aggios_owner");
    expect(psql("select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'public'", "postgres", "aggios")).toBe("aggios_owner");
    psql("create role stranger login");
    expect(psql("select has_database_privilege('stranger', 'aggios', 'CONNECT')")).toBe("f");
    expect(psql("select has_database_privilege('aggios_app', 'aggios', 'CONNECT')")).toBe("t");
    expect(psql("select has_schema_privilege('aggios_app', 'public', 'USAGE')", "postgres", "aggios")).toBe("t");
    expect(psql("select has_schema_privilege('aggios_app', 'public', 'CREATE')", "postgres", "aggios")).toBe("f");
  });

  test("passwords were set (not spliced into SQL)", () => {
    const hash = psql("select rolpassword from pg_authid where rolname = 'aggios_app'");
    expect(hash.startsWith("SCRAM-SHA-256$")).toBe(true);
  });
});
