// `bun run restore <dump-name|latest>`: into the EMPTY database at
// MIGRATION_DATABASE_URL (see docs/self-hosting.md, "Restore drill").
import { config } from "../config";
import { runRestore } from "../platform/backups";
import { createBackupStore } from "../platform/backups/store";

const requested = process.argv[2];
if (!requested) {
  // Without a name: say how, and what there is to restore.
  const store = createBackupStore(config);
  const names = await store.list().catch((error: Error) => [`(cannot list ${store.location}: ${error.message})`]);
  console.error(`usage: bun run restore <dump-name|latest>\ndumps in ${store.location}, oldest first:\n${names.join("\n") || "(none)"}`);
  process.exit(2);
}
try {
  await runRestore(config, requested, (line) => console.log(`restore: ${line}`));
  process.exit(0);
} catch (error) {
  console.error(`restore: failed: ${(error as Error).message}`);
  process.exit(1);
}
