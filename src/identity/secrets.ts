// Opaque secrets (refresh tokens, later API keys and hand-off tokens): random,
// shown once, stored only as a sha256 digest.
export function randomToken(bytes = 32): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
}

export function digest(token: string): Buffer {
  return Buffer.from(new Bun.CryptoHasher("sha256").update(token).digest());
}
