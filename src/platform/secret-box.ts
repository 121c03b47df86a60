// Secrets we must be able to read back (webhook signing secrets: the HMAC
// needs the secret itself, so a hash will not do) are sealed with AES-256-GCM
// under a key derived from SESSION_SECRET. A stolen database dump or backup
// then reveals no secret without the application's configuration too.
// Changing SESSION_SECRET makes sealed secrets unreadable: rotate webhook
// secrets (re-create the endpoints) when rotating it.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createSecretBox(rootSecret: string, purpose: string) {
  const key = Buffer.from(hkdfSync("sha256", rootSecret, "aggios", `aggios secret-box ${purpose} v1`, 32));

  function seal(plaintext: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }

  function open(sealed: Buffer): string {
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  }

  return { seal, open };
}

export type SecretBox = ReturnType<typeof createSecretBox>;
