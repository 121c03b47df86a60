// `bun run restore <dump-name|latest>`: into the EMPTY database at
// MIGRATION_DATABASE_URL (see docs/self-hosting.md, "Restore drill").
import { config } from "../config";
import { runRestore } from "../platform/backups";

const requested = process.argv[2];
if (!requested) {
  console.error("usage: bun run restore <dump-name|latest>");
  process.exit(2);
}
try {
  await runRestore(config, requested, (line) => console.log(`restore: ${line}`));
  process.exit(0);
} catch (error) {
  console.error(`restore: failed: ${(error as Error).message}`);
  process.exit(1);
}
