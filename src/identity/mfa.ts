// Two-factor sign-in (ASVS 6.3.3): TOTP (RFC 6238) with one-time recovery
// codes, and the short-lived challenge that sits between password and code.
import type Redis from "ioredis";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";
import type { TenantSql, WithTenant } from "../platform/db";
import { Unauthorized } from "../platform/errors";
import { createSecretBox } from "../platform/secret-box";
import { digest, randomToken } from "./secrets";

const ISSUER = "Aggios";
const CHALLENGE_SECONDS = 300;
const CHALLENGE_ATTEMPTS = 5;
const RECOVERY_CODES = 10;
const challengeKey = (challenge: string) => `mfa:challenge:${digest(challenge).toString("hex")}`;
// Enrolment during sign-in (the agency requires 2FA): a separate key space, so
// an enrolment ticket can never be presented as a challenge or the reverse.
const enrolmentKey = (ticket: string) => `mfa:enrol:${digest(ticket).toString("hex")}`;
// A code is accepted once: a shoulder-surfed or phished code cannot be replayed.
const usedCodeKey = (userId: string, step: number) => `mfa:used:${userId}:${step}`;

/** The answer to a wrong code while the challenge (or ticket) still lives; anything else means "sign in again". */
export const INVALID_CODE = "The code is not valid.";

export type ChallengeRecord = { user_id: string; tenant_id: string; attempts: number };

function totpFor(secret: OTPAuth.Secret, label: string) {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: 30, secret });
}

/** Recovery codes look like `abcd-efgh-ijkl`: typed by hand, 60 bits each. */
function newRecoveryCode() {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const chars = Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

const normaliseRecovery = (code: string) => code.trim().toLowerCase().replaceAll(/\s+/g, "");

export function createMfa(options: { redis: Redis; withTenant: WithTenant; sessionSecret: string }) {
  const { redis, withTenant } = options;
  const box = createSecretBox(options.sessionSecret, "mfa-totp");
  const seal = (secret: string) => box.seal(secret).toString("base64");
  const open = (sealed: string) => box.open(Buffer.from(sealed, "base64"));

  async function isEnabled(tx: TenantSql, tenantId: string, userId: string): Promise<boolean> {
    const [row] = await tx`select 1 from user_mfa where tenant_id = ${tenantId} and user_id = ${userId} and confirmed_at is not null`;
    return Boolean(row);
  }

  async function enrolmentOf(secret: OTPAuth.Secret, email: string) {
    const uri = totpFor(secret, email).toString();
    const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
    return { secret: secret.base32, uri, qrSvg };
  }

  /** Starts (or restarts) enrolment: a new unconfirmed secret, its otpauth URI and a QR code as SVG. */
  async function beginEnrolment(tx: TenantSql, user: { id: string; tenant_id: string; email: string }) {
    if (await isEnabled(tx, user.tenant_id, user.id)) return null;
    const secret = new OTPAuth.Secret({ size: 20 });
    await tx`insert into user_mfa (user_id, tenant_id, secret_sealed) values (${user.id}, ${user.tenant_id}, ${seal(secret.base32)})
      on conflict (user_id) do update set secret_sealed = excluded.secret_sealed, confirmed_at = null, created_at = now()`;
    return enrolmentOf(secret, user.email);
  }

  /** The enrolment in progress (not yet confirmed), shown again after a mistyped first code; null if none. */
  async function pendingEnrolment(tx: TenantSql, user: { id: string; tenant_id: string; email: string }) {
    const [row] = await tx<{ secret_sealed: string; confirmed_at: Date | null }[]>`
      select secret_sealed, confirmed_at from user_mfa where tenant_id = ${user.tenant_id} and user_id = ${user.id}`;
    if (!row || row.confirmed_at) return null;
    return enrolmentOf(OTPAuth.Secret.fromBase32(open(row.secret_sealed)), user.email);
  }

  async function checkTotp(tx: TenantSql, tenantId: string, userId: string, code: string, requireConfirmed: boolean) {
    if (!/^\d{6}$/.test(code)) return false;
    const [row] = await tx<{ secret_sealed: string; confirmed_at: Date | null }[]>`
      select secret_sealed, confirmed_at from user_mfa where tenant_id = ${tenantId} and user_id = ${userId}`;
    if (!row || (requireConfirmed && !row.confirmed_at)) return false;
    const totp = totpFor(OTPAuth.Secret.fromBase32(open(row.secret_sealed)), "");
    const delta = totp.validate({ token: code, window: 1 });
    if (delta === null) return false;
    const step = Math.floor(Date.now() / 30_000) + delta;
    return (await redis.set(usedCodeKey(userId, step), "1", "EX", 120, "NX")) === "OK";
  }

  /** Confirms enrolment with a first code; returns the recovery codes, shown once. */
  async function confirmEnrolment(tx: TenantSql, tenantId: string, userId: string, code: string): Promise<string[] | null> {
    if (!(await checkTotp(tx, tenantId, userId, code, false))) return null;
    await tx`update user_mfa set confirmed_at = now() where tenant_id = ${tenantId} and user_id = ${userId}`;
    await tx`delete from mfa_recovery_codes where tenant_id = ${tenantId} and user_id = ${userId}`;
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    for (const recovery of codes) {
      await tx`insert into mfa_recovery_codes (tenant_id, user_id, code_hash) values (${tenantId}, ${userId}, ${digest(normaliseRecovery(recovery))})`;
    }
    return codes;
  }

  /** A TOTP code, or an unused recovery code (which is then spent). */
  async function verifyCode(tx: TenantSql, tenantId: string, userId: string, code: string): Promise<boolean> {
    const trimmed = code.trim();
    if (await checkTotp(tx, tenantId, userId, trimmed, true)) return true;
    const spent = await tx`update mfa_recovery_codes set used_at = now()
      where tenant_id = ${tenantId} and user_id = ${userId} and used_at is null and code_hash = ${digest(normaliseRecovery(trimmed))}`;
    return spent.count === 1;
  }

  async function disable(tx: TenantSql, tenantId: string, userId: string) {
    await tx`delete from mfa_recovery_codes where tenant_id = ${tenantId} and user_id = ${userId}`;
    await tx`delete from user_mfa where tenant_id = ${tenantId} and user_id = ${userId}`;
  }

  /** The opaque token a client presents with its code after a correct password. */
  async function createChallenge(user: { id: string; tenant_id: string }): Promise<string> {
    const challenge = randomToken(32);
    const record: ChallengeRecord = { user_id: user.id, tenant_id: user.tenant_id, attempts: 0 };
    await redis.set(challengeKey(challenge), JSON.stringify(record), "EX", CHALLENGE_SECONDS);
    return challenge;
  }

  /**
   * Checks a code against a challenge. The challenge dies on success and after
   * a few wrong codes, so it cannot be used to guess codes.
   */
  async function answerChallenge(challenge: string, code: string): Promise<ChallengeRecord> {
    const key = challengeKey(challenge);
    const raw = await redis.get(key);
    if (!raw) throw Unauthorized("The sign-in challenge is invalid or has expired; sign in again.");
    const record = JSON.parse(raw) as ChallengeRecord;
    const ok = await withTenant(record.tenant_id, (tx) => verifyCode(tx, record.tenant_id, record.user_id, code));
    if (ok) {
      // Single use even under a race: only the caller that deletes the key wins.
      if ((await redis.del(key)) === 1) return record;
      throw Unauthorized("The sign-in challenge is invalid or has expired; sign in again.");
    }
    const attempts = record.attempts + 1;
    if (attempts >= CHALLENGE_ATTEMPTS) await redis.del(key);
    else await redis.set(key, JSON.stringify({ ...record, attempts }), "KEEPTTL");
    if (attempts >= CHALLENGE_ATTEMPTS) throw Unauthorized("Too many wrong codes; sign in again.");
    throw Unauthorized(INVALID_CODE);
  }

  /** After a correct password when the agency requires 2FA: the opaque ticket that lets the user enrol before any session exists. */
  async function createEnrolmentTicket(user: { id: string; tenant_id: string }): Promise<string> {
    const ticket = randomToken(32);
    const record: ChallengeRecord = { user_id: user.id, tenant_id: user.tenant_id, attempts: 0 };
    await redis.set(enrolmentKey(ticket), JSON.stringify(record), "EX", CHALLENGE_SECONDS * 2);
    return ticket;
  }

  async function readEnrolmentTicket(ticket: string): Promise<ChallengeRecord | null> {
    const raw = await redis.get(enrolmentKey(ticket));
    return raw ? (JSON.parse(raw) as ChallengeRecord) : null;
  }

  /**
   * Confirms the ticket holder's enrolment with a first code; `onConfirmed`
   * runs in the same transaction (audit). Single use, few attempts, like a challenge.
   */
  async function answerEnrolmentTicket(ticket: string, code: string, onConfirmed: (tx: TenantSql, record: ChallengeRecord) => Promise<void>) {
    const key = enrolmentKey(ticket);
    const record = await readEnrolmentTicket(ticket);
    if (!record) throw Unauthorized("The sign-in has expired; sign in again.");
    const codes = await withTenant(record.tenant_id, async (tx) => {
      const recovery = await confirmEnrolment(tx, record.tenant_id, record.user_id, code.trim());
      if (recovery) await onConfirmed(tx, record);
      return recovery;
    });
    if (codes) {
      if ((await redis.del(key)) === 1) return { record, recoveryCodes: codes };
      throw Unauthorized("The sign-in has expired; sign in again.");
    }
    const attempts = record.attempts + 1;
    if (attempts >= CHALLENGE_ATTEMPTS) await redis.del(key);
    else await redis.set(key, JSON.stringify({ ...record, attempts }), "KEEPTTL");
    if (attempts >= CHALLENGE_ATTEMPTS) throw Unauthorized("Too many wrong codes; sign in again.");
    throw Unauthorized(INVALID_CODE);
  }

  return {
    isEnabled,
    beginEnrolment,
    pendingEnrolment,
    confirmEnrolment,
    verifyCode,
    disable,
    createChallenge,
    answerChallenge,
    createEnrolmentTicket,
    readEnrolmentTicket,
    answerEnrolmentTicket,
  };
}

export type Mfa = ReturnType<typeof createMfa>;
