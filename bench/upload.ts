// S7: a 100 MB document upload through Aggios (curl, multipart, bearer token)
// against a direct minio-client upload of the same file to the same S3 server.
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../src/config";
import { createStorage, objectKey } from "../src/platform/storage";
import { resetPeakRss, rssMb } from "./wrk";

const MB = 1024 * 1024;

export async function makeUploadFile(megabytes: number): Promise<string> {
  const path = join(tmpdir(), `aggios-bench-${megabytes}mb.bin`);
  const writer = Bun.file(path).writer();
  const chunk = new Uint8Array(MB);
  for (let index = 0; index < megabytes; index++) {
    crypto.getRandomValues(chunk.subarray(0, 65_536)); // incompressible, and no two MiB alike
    chunk.fill(index, 65_536);
    writer.write(chunk);
  }
  await writer.end();
  return path;
}

export const removeUploadFile = (path: string) => rm(path, { force: true });

export type UploadResult = { seconds: number; mbPerSecond: number; rssBeforeMb: number; rssPeakMb: number; rssGrowthMb: number };

/** One upload through the app; peak RSS is the kernel's VmHWM, reset just before. */
export async function uploadThroughApp(options: { origin: string; pid: number; token: string; file: string; megabytes: number }): Promise<UploadResult> {
  await Bun.sleep(500);
  Bun.gc?.(true);
  const rssBeforeMb = await rssMb(options.pid);
  await resetPeakRss(options.pid);
  const started = performance.now();
  const child = Bun.spawn(
    ["curl", "-sS", "--fail-with-body", "-H", "Host: api.localhost", "-H", `Authorization: Bearer ${options.token}`, "-F", `file=@${options.file};filename=big.bin;type=application/octet-stream`, `${options.origin}/api/documents`],
    { stdout: "pipe", stderr: "pipe" },
  );
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`upload failed: ${err} ${out}`);
  const created = JSON.parse(out) as { size: number };
  if (created.size !== options.megabytes * MB) throw new Error(`uploaded ${created.size} bytes, expected ${options.megabytes * MB}`);
  const rssPeakMb = await rssMb(options.pid, "VmHWM");
  return { seconds, mbPerSecond: options.megabytes / seconds, rssBeforeMb, rssPeakMb, rssGrowthMb: Math.max(0, rssPeakMb - rssBeforeMb) };
}

/**
 * The same bytes straight to the same S3 server through the app's own
 * minio-client driver (src/platform/storage/s3.ts), no HTTP in between.
 * (minio's own fPutObject multipart is refused by s3rver: "not implemented".)
 */
export async function uploadDirect(options: { config: Config; file: string; megabytes: number }): Promise<{ seconds: number; mbPerSecond: number }> {
  const storage = createStorage(options.config);
  const started = performance.now();
  await storage.put(objectKey(crypto.randomUUID(), crypto.randomUUID()), Bun.file(options.file).stream() as unknown as AsyncIterable<Uint8Array>);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, mbPerSecond: options.megabytes / seconds };
}
