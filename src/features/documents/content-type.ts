// The stored content type comes from the bytes for the types browsers treat
// specially (images, PDF); a client's claim is kept only for inert types.
// Downloads are attachments with nosniff either way: this is the second lock.

const SIGNATURES: { type: string; test: (head: Uint8Array) => boolean }[] = [
  { type: "image/png", test: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: "image/jpeg", test: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  { type: "image/gif", test: (h) => ascii(h, 0, 6) === "GIF87a" || ascii(h, 0, 6) === "GIF89a" },
  { type: "image/webp", test: (h) => ascii(h, 0, 4) === "RIFF" && ascii(h, 8, 12) === "WEBP" },
  { type: "application/pdf", test: (h) => ascii(h, 0, 5) === "%PDF-" },
];

/** Bytes needed to recognise every signature above. */
export const SNIFF_BYTES = 16;

// Declared types we keep as-is: none of them is rendered or executed by a browser.
const INERT_TYPES = new Set([
  "text/plain",
  "text/csv",
  "application/json",
  "application/zip",
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "audio/mpeg",
  "video/mp4",
]);

export function sniffContentType(head: Uint8Array): string | undefined {
  return SIGNATURES.find((signature) => signature.test(head))?.type;
}

export function chooseContentType(head: Uint8Array, declared: string | undefined): string {
  const sniffed = sniffContentType(head);
  if (sniffed) return sniffed;
  const claimed = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  return INERT_TYPES.has(claimed) ? claimed : "application/octet-stream";
}

function startsWith(head: Uint8Array, bytes: number[]) {
  return bytes.every((byte, index) => head[index] === byte);
}

function ascii(head: Uint8Array, from: number, to: number) {
  return head.length >= to ? String.fromCharCode(...head.subarray(from, to)) : "";
}
