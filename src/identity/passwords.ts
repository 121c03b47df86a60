// argon2id at OWASP's minimum or above (m = 19 MiB, t = 2, p = 1).
const ARGON2 = { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 } as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256; // argon2 input is bounded so a huge body cannot stall a core

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, ARGON2);
}

// Verified against when the email is unknown, so both paths cost one argon2 run
// and an attacker cannot tell from timing which emails have accounts.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  if (hash === undefined) {
    decoyHash ??= hashPassword(crypto.randomUUID());
    await Bun.password.verify(password, await decoyHash).catch(() => false);
    return false;
  }
  return Bun.password.verify(password, hash).catch(() => false);
}
