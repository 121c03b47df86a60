// `bun run backup` and `bun run restore`: logical dumps (pg_dump -Fc) kept in
// the backup store with a retention count. Runs as its own role; it never
// calls the web process's start-up role check, because this role must be
// able to read every tenant's rows (BYPASSRLS) to make a complete dump.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../config";
import { BackupError, countUserObjects, listTables, pgTool, tablesMissingFromDump, withConnection } from "./pg";
import { createBackupStore, DUMP_NAME, dumpName } from "./store";

export { BackupError } from "./pg";

type Log = (line: string) => void;

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "aggios-backup-"));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runBackup(config: Config, log: Log = () => {}) {
  const source = config.BACKUP_DATABASE_URL ?? config.MIGRATION_DATABASE_URL;
  const store = createBackupStore(config);
  return inTempDir(async (dir) => {
    const name = dumpName();
    const file = join(dir, name);
    await pgTool(["pg_dump", "--format=custom", "--no-password", `--file=${file}`], source);
    // A dump that silently lacks a table (no privilege, a filter) would only
    // be discovered on the day it is needed: check before it counts as a backup.
    const tables = await withConnection(source, listTables);
    const missing = await tablesMissingFromDump(file, tables);
    if (missing.length > 0) throw new BackupError(`the dump lacks the data of ${missing.join(", ")}; nothing was stored`);
    const bytes = (await stat(file)).size;
    await store.put(name, file);
    log(`stored ${name} (${bytes} bytes, ${tables.length} tables) in ${store.location}`);
    const removed = await applyRetention(store, config.BACKUP_RETENTION);
    for (const old of removed) log(`removed ${old} (BACKUP_RETENTION=${config.BACKUP_RETENTION})`);
    return { name, bytes, tables: tables.length, location: store.location, removed };
  });
}

async function applyRetention(store: ReturnType<typeof createBackupStore>, keep: number): Promise<string[]> {
  const names = await store.list();
  const expired = names.slice(0, Math.max(0, names.length - keep));
  for (const name of expired) await store.remove(name);
  return expired;
}

/**
 * Restores dump `requested` (or `latest`) into MIGRATION_DATABASE_URL, as
 * the schema owner so restored objects keep their owner. Refuses a database
 * that holds anything: merging a dump into live data would half-succeed.
 */
export async function runRestore(config: Config, requested: string, log: Log = () => {}) {
  const target = config.MIGRATION_DATABASE_URL;
  const store = createBackupStore(config);
  const names = await store.list();
  const name = requested === "latest" ? names.at(-1) : requested;
  if (!name || !DUMP_NAME.test(name) || !names.includes(name)) {
    const recent = names.slice(-5).join(", ") || "none";
    throw new BackupError(`no dump named ${JSON.stringify(requested)} in ${store.location} (most recent: ${recent})`);
  }
  const database = new URL(target).pathname.slice(1);
  const objects = await withConnection(target, countUserObjects);
  if (objects > 0) {
    throw new BackupError(`database ${database} is not empty (${objects} objects); restore only into an empty database (see docs/self-hosting.md, restore drill)`);
  }
  await inTempDir(async (dir) => {
    const file = join(dir, name);
    await store.fetch(name, file);
    // One transaction: a failed restore leaves the database empty, not half-filled.
    await pgTool(["pg_restore", "--exit-on-error", "--single-transaction", "--no-password", file], target);
  });
  const tables = await withConnection(target, listTables);
  log(`restored ${name} into ${database} (${tables.length} tables)`);
  return { name, database, tables: tables.length };
}
