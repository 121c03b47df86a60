// Bearer tokens for the operator-only endpoints (/metrics, /internal/*).
// These are not user credentials: one shared secret per endpoint, from config.
import { timingSafeEqual } from "node:crypto";
import { NotFound, Unauthorized } from "./errors";

const digest = (value: string) => new Bun.CryptoHasher("sha256").update(value).digest();

/**
 * Throws unless `request` carries `Authorization: Bearer <expected>`.
 * No token configured → 404: the endpoint does not exist on this install, so
 * an operator who never set one exposes nothing and an unauthenticated
 * scanner cannot even learn it is there. A wrong token → 401.
 */
export function requireInternalToken(request: Request, expected: string | undefined, realm: string): void {
  if (!expected) throw NotFound("No such route.");
  const header = request.headers.get("authorization") ?? "";
  const presented = /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] ?? "";
  // Hashing first gives equal-length buffers, so the comparison time says
  // nothing about the token's length or its first differing byte.
  if (!timingSafeEqual(digest(presented), digest(expected))) {
    const refusal = Unauthorized("A valid bearer token is required.");
    refusal.headers["WWW-Authenticate"] = `Bearer realm="${realm}"`;
    throw refusal;
  }
}
