// `bun run backup`: pg_dump -Fc into the backup store, verified, with retention.
import { config } from "../config";
import { runBackup } from "../platform/backups";

try {
  await runBackup(config, (line) => console.log(`backup: ${line}`));
  process.exit(0);
} catch (error) {
  console.error(`backup: failed: ${(error as Error).message}`);
  process.exit(1);
}
