// Receives one multipart upload as a stream: the file part flows straight to
// storage while its size and sha256 are computed, so memory stays flat for a
// file of any size. Over the limit → 413 and, by Storage.put's contract,
// nothing stored.
import Busboy, { type BusboyInstance } from "@fastify/busboy";
import { Readable } from "node:stream";
import { BadRequest, Invalid, TooLarge, UnsupportedMediaType } from "../../platform/errors";
import type { Storage } from "../../platform/storage";
import { chooseContentType, SNIFF_BYTES } from "./content-type";
import { cleanFilename } from "./filename";

export type ReceivedUpload = { filename: string; contentType: string; size: number; sha256: string; fields: Record<string, string> };

// Room for boundaries, part headers and the small text fields around the file.
export const FORM_OVERHEAD_BYTES = 64 * 1024;

const tooLarge = (maxBytes: number) => TooLarge(`The file is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit.`);

export async function receiveUpload(request: Request, options: { storage: Storage; key: string; maxBytes: number }): Promise<ReceivedUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType)) throw UnsupportedMediaType("Send the file as multipart/form-data with a `file` field.");
  // A declared length over the limit is refused before a byte is read.
  if (Number(request.headers.get("content-length")) > options.maxBytes + FORM_OVERHEAD_BYTES) throw tooLarge(options.maxBytes);
  if (!request.body) throw Invalid("The request is not valid.", [{ field: "file", message: "is required" }]);

  let parser: BusboyInstance;
  try {
    parser = new Busboy({ headers: { "content-type": contentType }, limits: { files: 1, fields: 10, fieldSize: 1024, parts: 20, headerPairs: 20 } });
  } catch {
    throw BadRequest("malformed_body", "The multipart body could not be parsed.");
  }
  const source = Readable.fromWeb(request.body as unknown as import("node:stream/web").ReadableStream);

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let stored: Promise<Omit<ReceivedUpload, "fields">> | undefined;
    let settled = false;

    // On any failure stop reading, then wait for the storage write to finish
    // cleaning up, so the caller never answers while a partial object exists.
    const fail = async (error: unknown) => {
      if (settled) return;
      settled = true;
      source.unpipe(parser);
      source.destroy();
      await stored?.catch(() => {});
      reject(error);
    };

    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (name, file, filename, _encoding, declaredType) => {
      if (name !== "file" || stored) return void file.resume();
      stored = storeFile(file, filename, declaredType, options);
      stored.catch(fail);
    });
    parser.on("finish", async () => {
      if (!stored) return void fail(Invalid("The request is not valid.", [{ field: "file", message: "is required" }]));
      try {
        const facts = await stored;
        if (settled) return;
        settled = true;
        resolve({ ...facts, fields });
      } catch (error) {
        void fail(error);
      }
    });
    parser.on("error", () => void fail(BadRequest("malformed_body", "The multipart body could not be parsed.")));
    source.on("error", () => void fail(BadRequest("upload_interrupted", "The upload was interrupted.")));
    source.pipe(parser);
  });
}

async function storeFile(file: Readable, filename: string | undefined, declaredType: string | undefined, options: { storage: Storage; key: string; maxBytes: number }) {
  const hash = new Bun.CryptoHasher("sha256");
  const head = new Uint8Array(SNIFF_BYTES);
  let size = 0;

  async function* metered(): AsyncGenerator<Uint8Array> {
    for await (const chunk of file as AsyncIterable<Buffer>) {
      if (size < SNIFF_BYTES) head.set(chunk.subarray(0, SNIFF_BYTES - size), size);
      size += chunk.length;
      if (size > options.maxBytes) throw tooLarge(options.maxBytes);
      hash.update(chunk);
      yield chunk;
    }
  }

  await options.storage.put(options.key, metered());
  return {
    filename: cleanFilename(decodeFormEscapes(filename)),
    contentType: chooseContentType(head.subarray(0, Math.min(size, SNIFF_BYTES)), declaredType),
    size,
    sha256: hash.digest("hex"),
  };
}

// Browsers escape `"`, CR and LF in multipart filenames as %22, %0D and %0A
// (WHATWG HTML); undo exactly those so cleanFilename sees the real name.
function decodeFormEscapes(filename: string | undefined) {
  return filename?.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
