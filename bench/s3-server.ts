// The S3 server for S7: s3rver (the test suite's S3 fixture) in its own
// process, so its CPU is not charged to the upload it serves.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";

const directory = await mkdtemp(join(tmpdir(), "aggios-bench-s3-"));
const server = new S3rver({ port: Number(process.env.PORT ?? 4830), address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: "aggios" }, { name: "direct" }] } as never) as unknown as { run(): Promise<unknown>; close(): Promise<void> };
await server.run();
console.log("s3rver ready");
process.on("SIGTERM", async () => {
  await server.close().catch(() => {});
  await rm(directory, { recursive: true, force: true });
  process.exit(0);
});
