// Where dumps live: the S3 backup bucket (STORAGE_DRIVER=s3) or a local
// directory (disk). Only names matching DUMP_NAME are ever listed, read or
// deleted, so retention cannot touch anything else in the bucket or folder.
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "minio";
import type { Config } from "../../config";

export const DUMP_NAME = /^aggios-\d{8}T\d{9}Z\.dump$/;

export type BackupStore = {
  location: string;
  put(name: string, file: string): Promise<void>;
  fetch(name: string, file: string): Promise<void>;
  /** Dump names, oldest first (names embed a UTC timestamp). */
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
};

/** `aggios-20260102T030405678Z.dump`: sortable, and safe as a file or object name. */
export function dumpName(now = new Date()): string {
  return `aggios-${now.toISOString().replace(/[-:]/g, "").replace(".", "")}.dump`;
}

export function createBackupStore(config: Config): BackupStore {
  return config.STORAGE_DRIVER === "s3" ? s3Store(config) : diskStore(config.BACKUP_DIR);
}

function diskStore(directory: string): BackupStore {
  return {
    location: directory,
    async put(name, file) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await copyFile(file, join(directory, name));
    },
    fetch: (name, file) => copyFile(join(directory, name), file),
    async list() {
      const names = await readdir(directory).catch(() => [] as string[]);
      return names.filter((name) => DUMP_NAME.test(name)).sort();
    },
    remove: (name) => rm(join(directory, name), { force: true }),
  };
}

function s3Store(config: Config): BackupStore {
  const url = new URL(config.S3_ENDPOINT!);
  const useSSL = url.protocol === "https:";
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: config.S3_ACCESS_KEY!,
    secretKey: config.S3_SECRET_KEY!,
    region: config.S3_REGION,
    pathStyle: true,
  });
  const bucket = config.S3_BACKUP_BUCKET;
  return {
    location: `s3://${bucket}`,
    async put(name, file) {
      // compose's minio-init creates the bucket (with versioning); this covers
      // any other S3 where the key may create it.
      if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket, config.S3_REGION);
      await client.fPutObject(bucket, name, file, { "Content-Type": "application/octet-stream" });
    },
    fetch: (name, file) => client.fGetObject(bucket, name, file),
    async list() {
      if (!(await client.bucketExists(bucket))) return [];
      const names: string[] = [];
      for await (const item of client.listObjectsV2(bucket, "aggios-", false)) if (item.name && DUMP_NAME.test(item.name)) names.push(item.name);
      return names.sort();
    },
    remove: (name) => client.removeObject(bucket, name),
  };
}
