// Object storage behind one small interface: `disk` (the embedded default,
// under STORAGE_DIR) or `s3` (MinIO or any S3 API, through the minio client).
import type { Config } from "../../config";
import { createDiskStorage } from "./disk";
import { createS3Storage } from "./s3";

export type Storage = {
  driver: "disk" | "s3";
  /**
   * Stores `body` under `key`, all or nothing: if `body` throws (too large,
   * client gone) or the backend fails, no object and no partial upload remain.
   */
  put(key: string, body: AsyncIterable<Uint8Array>): Promise<void>;
  /** The object's bytes; null when it does not exist. */
  get(key: string): Promise<ReadableStream<Uint8Array> | null>;
  /** Idempotent: removing a missing object succeeds. */
  remove(key: string): Promise<void>;
  /** For /ready: throws when the backend is unusable. */
  check(): Promise<void>;
};

export class StorageUnavailable extends Error {}

// Keys are built only by objectKey(): tenant-prefixed uuids, never user input.
// Every driver re-checks the shape, so a bug upstream cannot become path traversal.
const KEY_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/documents\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function objectKey(tenantId: string, documentId: string): string {
  return assertKey(`${tenantId}/documents/${documentId}`);
}

export function assertKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new Error(`refusing malformed object key ${JSON.stringify(key)}`);
  return key;
}

export function createStorage(config: Config): Storage {
  if (config.STORAGE_DRIVER === "s3") {
    return createS3Storage({
      endpoint: config.S3_ENDPOINT!,
      region: config.S3_REGION,
      accessKey: config.S3_ACCESS_KEY ?? "",
      secretKey: config.S3_SECRET_KEY ?? "",
      bucket: config.S3_BUCKET,
      sse: config.S3_SSE,
    });
  }
  return createDiskStorage(config.STORAGE_DIR);
}
