// The init scripts under deploy/. The PostgreSQL one runs for real against a
// throwaway cluster when initdb is on this machine.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { clusterAvailable, startCluster, type Cluster } from "../pg-cluster";
import { readRepoFile, root } from "./stack";

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

describe.skipIf(!clusterAvailable)("deploy/postgres/init.sh on a throwaway cluster", () => {
  let cluster: Cluster;
  const passwords = {
    POSTGRES_OWNER_PASSWORD: "owner-password-0123456789",
    POSTGRES_APP_PASSWORD: "app-password-0123456789",
    POSTGRES_BACKUP_PASSWORD: "backup-password-0123456789",
  };
  const psql = (sql: string, user = "postgres", database = "postgres") => cluster.psql(sql, user, database);
  const runInit = (overrides: Record<string, string> = {}) =>
    cluster.runScript(join(root, "deploy/postgres/init.sh"), { POSTGRES_USER: "postgres", ...passwords, ...overrides });

  beforeAll(() => {
    cluster = startCluster({ port: 56000 + (process.pid % 1000) });
  }, 60_000);

  afterAll(() => cluster?.remove());

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
