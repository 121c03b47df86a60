// Brings a database to the current schema: in development, first creates the
// roles and database through the local superuser (a newcomer needs no SQL).
import { join } from "node:path";
import type { Config } from "../config";
import { bootstrapDatabase } from "./bootstrap";
import { createPool } from "./db";
import { migrate } from "./migrations";

export const SQL_DIR = join(import.meta.dir, "..", "..", "sql");

export async function prepareDatabase(config: Config, log: (line: string) => void) {
  if (config.DATABASE_BOOTSTRAP_URL) {
    await bootstrapDatabase({
      superuserUrl: config.DATABASE_BOOTSTRAP_URL,
      appUrl: config.DATABASE_URL,
      ownerUrl: config.MIGRATION_DATABASE_URL,
      log,
    }).catch((error: Error) => log(`skipped role/database bootstrap (${error.message})`));
  }
  const owner = createPool(config.MIGRATION_DATABASE_URL, 1);
  try {
    const applied = await migrate(owner, SQL_DIR, log);
    if (applied.length === 0) log("schema is up to date");
  } finally {
    await owner.end();
  }
}
