// Backup → drop the database → restore, against real PostgreSQL, with both
// backup targets: S3 (s3rver in-process, ports 4400–4449) and local disk.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import S3rver from "s3rver";
import { createPool } from "../db";
import { migrate } from "../migrations";
import { SQL_DIR } from "../prepare";
import { call, makeApp, PASSWORD, signupTenant, testConfig, unique } from "../../../test/helpers";
import { BackupError, runBackup, runRestore } from "./index";
import { tablesMissingFromDump, pgTool } from "./pg";
import { createBackupStore } from "./store";

const S3_PORT = 4400;
const superuser = postgres("postgres://postgres@127.0.0.1:5432/postgres", { max: 1, onnotice: () => {} });
const databaseUrl = (role: "aggios_app" | "aggios_owner", database: string) => `postgres://${role}:${role}@127.0.0.1:5432/${database}`;

let s3Dir: string;
let s3: { run(): Promise<unknown>; close(): Promise<void> };
const created: string[] = [];

beforeAll(async () => {
  s3Dir = await mkdtemp(join(tmpdir(), "aggios-backup-s3-"));
  s3 = new S3rver({ port: S3_PORT, address: "127.0.0.1", silent: true, directory: s3Dir }) as never;
  await s3.run();
});

afterAll(async () => {
  await s3.close().catch(() => {});
  for (const database of created) await superuser.unsafe(`drop database if exists "${database}" with (force)`);
  await superuser.end();
  await rm(s3Dir, { recursive: true, force: true });
});

async function createEmptyDatabase(name: string) {
  // Names are generated here ([a-z0-9_]), and DDL takes no bind parameters.
  await superuser.unsafe(`create database "${name}" owner aggios_owner`);
  if (!created.includes(name)) created.push(name);
}

/** A throw-away database at the current schema, with two agencies signed up through the API. */
async function populatedDatabase() {
  const name = unique("aggios_bk_");
  await createEmptyDatabase(name);
  const owner = createPool(databaseUrl("aggios_owner", name), 1);
  await migrate(owner, SQL_DIR);
  await owner.end();
  const target = makeApp({ DATABASE_URL: databaseUrl("aggios_app", name), MIGRATION_DATABASE_URL: databaseUrl("aggios_owner", name) });
  const agencies = [await signupTenant(target), await signupTenant(target)];
  // A refresh rotation and a logout leave rows in more tables.
  await call(target, "POST", "/api/auth/refresh", { body: { refresh_token: agencies[0]!.refreshToken } });
  await target.deps.db.sql.end();
  return { name, agencies };
}

/** Every table's row count and a digest of all its rows, read as the owner (RLS bypassed). */
async function snapshot(database: string) {
  const sql = postgres(databaseUrl("aggios_owner", database), { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`select tablename as name from pg_tables where schemaname = 'public' order by 1`;
    const result: Record<string, { count: number; digest: string | null; sample: unknown[] }> = {};
    for (const { name } of tables) {
      const [row] = await sql.unsafe(`select count(*)::int as count, md5(string_agg(t::text, '|' order by t::text)) as digest from "${name}" t`);
      const sample = await sql.unsafe(`select * from "${name}" t order by t::text limit 3`);
      result[name] = { count: row!.count, digest: row!.digest, sample: JSON.parse(JSON.stringify(sample)) };
    }
    return result;
  } finally {
    await sql.end();
  }
}

function backupConfig(database: string, storage: Record<string, string>) {
  return testConfig({ BACKUP_DATABASE_URL: databaseUrl("aggios_owner", database), MIGRATION_DATABASE_URL: databaseUrl("aggios_owner", database), ...storage });
}

const s3Storage = (bucket: string) => ({
  STORAGE_DRIVER: "s3",
  S3_ENDPOINT: `http://127.0.0.1:${S3_PORT}`,
  S3_ACCESS_KEY: "S3RVER",
  S3_SECRET_KEY: "S3RVER",
  S3_BACKUP_BUCKET: bucket,
});

describe("backup and restore", () => {
  test("S3: backup, drop the database, restore: every row is back and the app works on it", async () => {
    const { name, agencies } = await populatedDatabase();
    const before = await snapshot(name);
    expect(before.tenants!.count).toBeGreaterThanOrEqual(2);
    expect(before.users!.count).toBeGreaterThanOrEqual(2);
    expect(before.refresh_tokens!.count).toBeGreaterThanOrEqual(3);

    const config = backupConfig(name, s3Storage(unique("backups-")));
    const backup = await runBackup(config);
    expect(backup.tables).toBe(Object.keys(before).length);
    expect(await createBackupStore(config).list()).toEqual([backup.name]);

    await superuser.unsafe(`drop database "${name}" with (force)`);
    await createEmptyDatabase(name);
    // Through the real command, as an operator would run it.
    const child = Bun.spawn(["bun", "src/cli/restore.ts", backup.name], {
      env: { ...process.env, MIGRATION_DATABASE_URL: databaseUrl("aggios_owner", name), ...s3Storage(config.S3_BACKUP_BUCKET) },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
    expect(stderr).toBe("");
    expect(code).toBe(0);

    expect(await snapshot(name)).toEqual(before);

    // Grants, policies and functions came back too: the app role logs in under RLS.
    const restored = makeApp({ DATABASE_URL: databaseUrl("aggios_app", name), MIGRATION_DATABASE_URL: databaseUrl("aggios_owner", name) });
    const login = await call(restored, "POST", "/api/auth/login", { body: { email: agencies[1]!.email, password: PASSWORD }, host: agencies[1]!.host });
    expect(login.status).toBe(200);
    const me = await call(restored, "GET", "/api/users/me", { token: login.json.access_token, host: agencies[1]!.host });
    expect(me.json.email).toBe(agencies[1]!.email);
    await restored.deps.db.sql.end();
  }, 60_000);

  test("disk: restore into a fresh database equals the original; retention keeps the newest", async () => {
    const { name } = await populatedDatabase();
    const before = await snapshot(name);
    const directory = await mkdtemp(join(tmpdir(), "aggios-backups-"));
    try {
      const config = backupConfig(name, { STORAGE_DRIVER: "disk", BACKUP_DIR: directory, BACKUP_RETENTION: "2" });
      const names: string[] = [];
      for (let i = 0; i < 3; i++) {
        names.push((await runBackup(config)).name);
        await Bun.sleep(5); // names carry milliseconds
      }
      expect((await readdir(directory)).sort()).toEqual(names.slice(1));

      const copy = unique("aggios_rs_");
      await createEmptyDatabase(copy);
      await runRestore({ ...config, MIGRATION_DATABASE_URL: databaseUrl("aggios_owner", copy) }, "latest");
      expect(await snapshot(copy)).toEqual(before);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);

  test("restore refuses a database that is not empty, and an unknown dump", async () => {
    const { name } = await populatedDatabase();
    const directory = await mkdtemp(join(tmpdir(), "aggios-backups-"));
    try {
      const config = backupConfig(name, { STORAGE_DRIVER: "disk", BACKUP_DIR: directory });
      const { name: dump } = await runBackup(config);
      const before = await snapshot(name);
      await expect(runRestore(config, dump)).rejects.toThrow(/is not empty/);
      expect(await snapshot(name)).toEqual(before);
      await expect(runRestore(config, "../../etc/passwd")).rejects.toThrow(BackupError);
      await expect(runRestore(config, "aggios-20200101T000000000Z.dump")).rejects.toThrow(/no dump named/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);

  test("a dump is checked against every table before it counts", async () => {
    const { name } = await populatedDatabase();
    const directory = await mkdtemp(join(tmpdir(), "aggios-dump-"));
    try {
      const file = join(directory, "partial.dump");
      // What a filtered or under-privileged dump looks like: one table's data absent.
      await pgTool(["pg_dump", "--format=custom", "--no-password", `--file=${file}`, "--exclude-table-data=public.users"], databaseUrl("aggios_owner", name));
      expect(await tablesMissingFromDump(file, ["public.tenants", "public.users"])).toEqual(["public.users"]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  test("the compose backup role (pg_read_all_data + BYPASSRLS, owns nothing) makes a complete dump", async () => {
    const { name } = await populatedDatabase();
    // As deploy/postgres/init.sh creates aggios_backup; cluster-wide, so made once.
    await superuser.unsafe(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'aggios_backup_test') then
        create role aggios_backup_test login password 'aggios_backup_test' nosuperuser bypassrls;
      end if; end $$`);
    await superuser.unsafe("grant pg_read_all_data to aggios_backup_test");
    const directory = await mkdtemp(join(tmpdir(), "aggios-backups-"));
    try {
      const config = backupConfig(name, { STORAGE_DRIVER: "disk", BACKUP_DIR: directory });
      const backup = await runBackup({ ...config, BACKUP_DATABASE_URL: `postgres://aggios_backup_test:aggios_backup_test@127.0.0.1:5432/${name}` });
      expect(backup.tables).toBe(Object.keys(await snapshot(name)).length);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  test("the app role cannot make a backup: RLS would hide rows, so pg_dump must fail, not dump less", async () => {
    const { name } = await populatedDatabase();
    const config = backupConfig(name, { STORAGE_DRIVER: "disk", BACKUP_DIR: join(tmpdir(), unique("never-")) });
    await expect(runBackup({ ...config, BACKUP_DATABASE_URL: databaseUrl("aggios_app", name) })).rejects.toThrow(/pg_dump exited/);
  });
});
