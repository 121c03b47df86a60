// Keyset pagination shared by every list (SPEC §5): `?limit=` 1–100 (default
// 20) and an opaque `?cursor=` over (created_at, id), newest first. Keyset,
// not OFFSET: rows inserted while a client pages never cause duplicates or gaps.
import { z } from "zod";
import { BadRequest } from "./errors";

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};

/** The exact position of a row: created_at as microsecond text (a JS Date would drop microseconds). */
export type Keyset = { createdAt: string; id: string };

/** Select this as `cursor_at` so the cursor keeps Postgres' full timestamp precision. */
export const CURSOR_AT_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.createdAt, keyset.id])).toString("base64url");
}

/** A cursor is client input: anything we did not produce is a 400, never a 500. */
export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof createdAt === "string" && typeof id === "string" && TIMESTAMP.test(createdAt) && UUID.test(id)) return { createdAt, id };
  } catch {
    // fall through to the error below
  }
  throw BadRequest("invalid_cursor", "The cursor is not valid; start again without it.");
}

/** Queries fetch limit + 1 rows; the extra one only says whether another page exists. */
export function toPage<Row extends { id: string; cursor_at: string }>(rows: Row[], limit: number) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: last.cursor_at, id: last.id }) : null;
  return { data, nextCursor };
}
