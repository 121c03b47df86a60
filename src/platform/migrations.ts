// Applies sql/NNNN_name.sql in order: one transaction per file, under an
// advisory lock, each recorded with its sha256. Safe from several replicas.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Sql } from "./db";

const LOCK_KEY = 7_140_213_771; // any constant; shared by every runner of this schema
const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

export type Migration = { version: number; name: string; sql: string; checksum: string };

export class MigrationError extends Error {}

export async function readMigrations(dir: string): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const match = FILE_PATTERN.exec(name);
    if (!match) throw new MigrationError(`${name}: migration files are named NNNN_lower_snake.sql`);
    const text = await Bun.file(join(dir, name)).text();
    const checksum = new Bun.CryptoHasher("sha256").update(text).digest("hex");
    migrations.push({ version: Number(match[1]), name, sql: text, checksum });
  }
  return migrations;
}

/** Returns the names it applied. Throws if an applied file was edited. */
export async function migrate(sql: Sql, dir: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const migrations = await readMigrations(dir);
  await sql`create table if not exists schema_migrations (
    version integer primary key, name text not null, checksum text not null,
    applied_at timestamptz not null default now())`.catch(ignoreConcurrentCreate);
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await sql.begin(async (tx) => {
      // Transaction-scoped: a crashed runner can never leave the lock held.
      await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
      const [row] = await tx<{ checksum: string }[]>`select checksum from schema_migrations where version = ${migration.version}`;
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new MigrationError(`${migration.name} was edited after it was applied; add a new migration instead`);
        }
        return false;
      }
      await tx.unsafe(migration.sql);
      await tx`insert into schema_migrations (version, name, checksum) values (${migration.version}, ${migration.name}, ${migration.checksum})`;
      return true;
    });
    if (ran) {
      applied.push(migration.name);
      log(`applied ${migration.name}`);
    }
  }
  return applied;
}

// Two runners racing on `create table if not exists` can both pass the check.
function ignoreConcurrentCreate(error: { code?: string }) {
  if (error.code !== "23505" && error.code !== "42P07") throw error;
}
