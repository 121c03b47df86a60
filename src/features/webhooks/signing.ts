// Webhook signatures (docs/webhooks.md): `Aggios-Signature: t=<unix>,v1=<hex>`,
// where v1 = HMAC-SHA256(secret, "<t>.<body>"). The timestamp is signed too, so
// a captured request cannot be replayed later with a fresh `t`.
import { createHmac } from "node:crypto";
import { randomToken } from "../../identity/secrets";

export const SIGNATURE_HEADER = "Aggios-Signature";

export function generateSigningSecret() {
  const secret = `whsec_${randomToken(32)}`;
  return { secret, prefix: secret.slice(0, 12) };
}

export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const digest = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${digest}`;
}
