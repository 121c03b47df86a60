// Filenames are user input twice over: shown in pages and echoed in a header.
// They are never used to build a storage key or a path.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidi overrides let "gpj.exe" display as "exe.jpg": strip them.
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;
const MAX_LENGTH = 255;

/** A display name: the last path segment, without control or bidi characters. */
export function cleanFilename(raw: string | undefined | null): string {
  const base = (raw ?? "").normalize("NFC").split(/[\\/]/).at(-1) ?? "";
  const cleaned = base.replace(CONTROL, "").replace(BIDI, "").trim().replace(/^\.+/, "").trim();
  return [...cleaned].slice(0, MAX_LENGTH).join("") || "file";
}

/**
 * `Content-Disposition: attachment` per RFC 6266: an ASCII-only `filename`
 * for old clients and the exact name as RFC 5987 `filename*`. Quotes,
 * backslashes and CR/LF can never reach the header (header injection).
 */
export function attachmentDisposition(filename: string): string {
  const ascii = cleanFilename(filename).replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  const encoded = encodeURIComponent(cleanFilename(filename)).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
