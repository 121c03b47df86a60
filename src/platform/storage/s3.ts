// S3 driver (MinIO, AWS, any S3 API) over the minio client. Uploads stream in
// fixed-size parts we control: memory stays at one part whatever the file
// size, and a failed upload is aborted so no partial object remains.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { Client } from "minio";
import { HttpError, Unavailable } from "../errors";
import { assertKey, type Storage } from "./index";

// S3's minimum part size; small enough to keep memory flat, large enough for few round trips.
export const PART_SIZE = 5 * 1024 * 1024;

type S3Options = { endpoint: string; region: string; accessKey: string; secretKey: string; bucket: string; sse?: string };

const MISSING = new Set(["NoSuchKey", "NotFound", "NoSuchObject"]);

export function createS3Storage(options: S3Options): Storage {
  const url = new URL(options.endpoint);
  const useSSL = url.protocol === "https:";
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    region: options.region,
    pathStyle: true,
  });
  const { bucket } = options;
  const objectHeaders: Record<string, string> = { "Content-Type": "application/octet-stream" };
  if (options.sse) objectHeaders["x-amz-server-side-encryption"] = options.sse;

  let bucketReady: Promise<void> | undefined;
  function ensureBucket() {
    bucketReady ??= (async () => {
      if (!(await client.bucketExists(bucket))) {
        await client.makeBucket(bucket, options.region).catch((error) => {
          if (!["BucketAlreadyOwnedByYou", "BucketAlreadyExists"].includes(codeOf(error))) throw error;
        });
      }
      // Versioning keeps deleted and overwritten files recoverable; servers
      // without it (s3rver, single-disk MinIO) answer with an S3 error we accept.
      await client.setBucketVersioning(bucket, { Status: "Enabled" }).catch((error) => {
        if (!codeOf(error) || isConnectionError(error)) throw error;
      });
    })();
    bucketReady.catch(() => (bucketReady = undefined));
    return bucketReady;
  }

  async function uploadPart(key: string, uploadId: string, partNumber: number, part: Buffer) {
    const response = await client.makeRequestAsyncOmit(
      {
        method: "PUT",
        bucketName: bucket,
        objectName: key,
        query: `partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`,
        headers: { "Content-Length": part.length, "Content-MD5": createHash("md5").update(part).digest("base64") },
      },
      part,
    );
    return { part: partNumber, etag: String(response.headers.etag ?? "").replace(/^"|"$/g, "") };
  }

  return {
    driver: "s3",
    async put(key, body) {
      assertKey(key);
      let uploadId: string | undefined;
      try {
        await ensureBucket();
        const parts: { part: number; etag: string }[] = [];
        // One part buffer, filled and sent over and over: each part is awaited
        // before the next is filled, so concatenating copies per part would only
        // feed the garbage collector (peak RSS, bench/RESULTS.md S7).
        const part = Buffer.allocUnsafe(PART_SIZE);
        let filled = 0;
        for await (const chunk of body) {
          for (let offset = 0; offset < chunk.byteLength; ) {
            const copied = Math.min(PART_SIZE - filled, chunk.byteLength - offset);
            part.set(chunk.subarray(offset, offset + copied), filled);
            filled += copied;
            offset += copied;
            if (filled === PART_SIZE) {
              uploadId ??= await client.initiateNewMultipartUpload(bucket, key, { ...objectHeaders });
              parts.push(await uploadPart(key, uploadId, parts.length + 1, part));
              filled = 0;
            }
          }
        }
        const tail = part.subarray(0, filled);
        if (!uploadId) {
          // Small files: one PUT, no multipart round trips.
          await client.putObject(bucket, key, tail, tail.length, { ...objectHeaders });
          return;
        }
        if (tail.length > 0) parts.push(await uploadPart(key, uploadId, parts.length + 1, tail));
        await client.completeMultipartUpload(bucket, key, uploadId, parts);
      } catch (error) {
        if (uploadId) await client.abortMultipartUpload(bucket, key, uploadId).catch(() => {});
        throw translate(error);
      }
    },
    async get(key) {
      assertKey(key);
      try {
        const stream = await client.getObject(bucket, key);
        return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
      } catch (error) {
        if (MISSING.has(codeOf(error))) return null;
        throw translate(error);
      }
    },
    async remove(key) {
      assertKey(key);
      await client.removeObject(bucket, key).catch((error) => {
        if (!MISSING.has(codeOf(error))) throw translate(error);
      });
    },
    async check() {
      await ensureBucket();
      // A real round trip every time: the bucket having existed once proves nothing now.
      if (!(await client.bucketExists(bucket))) throw new Error(`bucket ${bucket} is missing`);
    },
  };
}

function codeOf(error: unknown): string {
  return String((error as { code?: unknown })?.code ?? "");
}

function isConnectionError(error: unknown) {
  return /^E[A-Z]+$/.test(codeOf(error)) || /socket|connect|network/i.test((error as Error)?.message ?? "");
}

// Our own errors (413 from the size meter) pass through; anything from the
// backend is "storage unavailable" — never a 500 with S3's message in it.
function translate(error: unknown): Error {
  if (error instanceof HttpError) return error;
  const failure = Unavailable("storage");
  (failure as { cause?: unknown }).cause = error;
  return failure;
}
