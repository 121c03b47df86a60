// `bun run migrate`: bootstrap (development only) and apply sql/ migrations.
import { config } from "../config";
import { prepareDatabase } from "../platform/prepare";

try {
  await prepareDatabase(config, (line) => console.log(`migrate: ${line}`));
  process.exit(0);
} catch (error) {
  console.error(`migrate: ${(error as Error).message}`);
  process.exit(1);
}
