// An in-process S3 server (s3rver) for storage tests, on this suite's ports
// (4500–4549) with its own temporary directory. It checks no signatures:
// authorisation is our code's job and is tested there.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "minio";
import S3rver from "s3rver";

type Running = { httpServer?: { closeAllConnections?: () => void }; close(): Promise<void>; run(): Promise<unknown> };

export async function startS3(port: number) {
  const directory = await mkdtemp(join(tmpdir(), "aggios-s3-"));
  let server: Running | undefined;

  async function start() {
    server = new S3rver({ port, address: "127.0.0.1", silent: true, directory }) as unknown as Running;
    await server.run();
  }

  /** Like a crash: open connections are cut, new ones refused. */
  async function stop() {
    if (!server) return;
    server.httpServer?.closeAllConnections?.();
    await server.close().catch(() => {});
    server = undefined;
  }

  await start();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new Client({ endPoint: "127.0.0.1", port, useSSL: false, accessKey: "S3RVER", secretKey: "S3RVER", region: "us-east-1", pathStyle: true });

  /** Every object name under a prefix (e.g. a tenant id). */
  async function list(bucket: string, prefix: string): Promise<string[]> {
    if (!(await client.bucketExists(bucket))) return [];
    const names: string[] = [];
    for await (const item of client.listObjectsV2(bucket, prefix, true)) if (item.name) names.push(item.name);
    return names;
  }

  return {
    endpoint,
    env: { STORAGE_DRIVER: "s3", S3_ENDPOINT: endpoint, S3_ACCESS_KEY: "S3RVER", S3_SECRET_KEY: "S3RVER", S3_REGION: "us-east-1" },
    start,
    stop,
    list,
    async close() {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export type S3Fixture = Awaited<ReturnType<typeof startS3>>;
