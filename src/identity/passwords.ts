// argon2id at OWASP's minimum or above (m = 19 MiB, t = 2, p = 1), behind a
// concurrency limit: each hash holds ~19 MiB, so a burst of logins queues
// instead of exhausting memory, and a queue that is too long is refused (503).
import pLimit from "p-limit";
import { HttpError } from "../platform/errors";

const ARGON2 = { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 } as const;
const CONCURRENT_HASHES = Math.max(2, navigator.hardwareConcurrency);
const MAX_WAITING = 200;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256; // argon2 input is bounded so a huge body cannot stall a core

const limit = pLimit(CONCURRENT_HASHES);

function bounded<T>(work: () => Promise<T>): Promise<T> {
  if (limit.pendingCount >= MAX_WAITING) {
    return Promise.reject(new HttpError(503, "busy", "Too many sign-ins at once; try again in a moment.", undefined, { "Retry-After": "2" }));
  }
  return limit(work);
}

/** Hashes and verifies currently running or waiting (for metrics and tests). */
export const passwordWork = () => ({ active: limit.activeCount, waiting: limit.pendingCount, concurrency: CONCURRENT_HASHES });

export function hashPassword(password: string): Promise<string> {
  return bounded(() => Bun.password.hash(password, ARGON2));
}

// Verified against when the email is unknown, so both paths cost one argon2 run
// and an attacker cannot tell from timing which emails have accounts.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  if (hash === undefined) {
    decoyHash ??= hashPassword(crypto.randomUUID());
    const decoy = await decoyHash;
    await bounded(() => Bun.password.verify(password, decoy)).catch(() => false);
    return false;
  }
  return bounded(() => Bun.password.verify(password, hash)).catch((error) => {
    if (error instanceof HttpError) throw error;
    return false;
  });
}
