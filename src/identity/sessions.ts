// Dashboard sessions (SPEC §4, STYLE 15). The cookie holds `id.secret`; Redis
// holds the record under the id with only a hash of the secret, so a leaked
// Redis dump cannot be replayed as cookies. 30-minute sliding idle timeout,
// 12-hour absolute timeout, a per-user index so all of a user's sessions can
// be listed and ended.
import { timingSafeEqual } from "node:crypto";
import type Redis from "ioredis";
import { digest, randomToken } from "./secrets";
import type { Role } from "./tokens";

export const IDLE_SECONDS = 30 * 60;
export const ABSOLUTE_SECONDS = 12 * 60 * 60;
// Sliding writes are skipped within this window: one page view, one Redis read.
const TOUCH_AFTER_MS = 60_000;

export type SessionRecord = {
  user_id: string;
  tenant_id: string;
  email: string;
  role: Role;
  secret_hash: string;
  csrf: string;
  created_at: number;
  last_seen: number;
  user_agent: string | null;
  ip: string;
};

export type Session = SessionRecord & { id: string };

const sessionKey = (id: string) => `session:${id}`;
const userKey = (userId: string) => `session:user:${userId}`;
const flashKey = (id: string) => `session:${id}:flash`;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function sessionCookieName(scheme: "http" | "https") {
  // `__Host-` makes the browser refuse the cookie unless it is Secure, host-only
  // and Path=/: a sibling tenant subdomain cannot plant or overwrite it.
  return scheme === "https" ? "__Host-aggios_session" : "aggios_session";
}

export function createSessions(options: { redis: Redis; scheme: "http" | "https"; now?: () => number }) {
  const { redis, scheme } = options;
  const now = options.now ?? Date.now;
  const cookieName = sessionCookieName(scheme);

  function ttlFor(record: SessionRecord, at: number) {
    const absoluteLeft = Math.ceil((record.created_at + ABSOLUTE_SECONDS * 1000 - at) / 1000);
    return Math.max(1, Math.min(IDLE_SECONDS, absoluteLeft));
  }

  /** A fresh session (always a new id: no fixation) and the cookie value for it. */
  async function create(user: { id: string; tenant_id: string; email: string; role: Role }, client: { ip: string; userAgent: string | null }) {
    const id = randomToken(16);
    const secret = randomToken(32);
    const at = now();
    const record: SessionRecord = {
      user_id: user.id,
      tenant_id: user.tenant_id,
      email: user.email,
      role: user.role,
      secret_hash: digest(secret).toString("hex"),
      csrf: randomToken(32),
      created_at: at,
      last_seen: at,
      user_agent: client.userAgent?.slice(0, 200) ?? null,
      ip: client.ip,
    };
    await redis.multi().set(sessionKey(id), JSON.stringify(record), "EX", IDLE_SECONDS).sadd(userKey(user.id), id).expire(userKey(user.id), ABSOLUTE_SECONDS).exec();
    return { session: { ...record, id }, token: `${id}.${secret}` };
  }

  async function read(id: string): Promise<SessionRecord | null> {
    const raw = await redis.get(sessionKey(id));
    return raw ? (JSON.parse(raw) as SessionRecord) : null;
  }

  /** The live session a cookie value names, sliding its idle timeout; null otherwise. */
  async function validate(token: string | undefined): Promise<Session | null> {
    const match = token ? TOKEN_SHAPE.exec(token) : null;
    if (!match) return null;
    const [, id, secret] = match as unknown as [string, string, string];
    const record = await read(id);
    if (!record) return null;
    if (!timingSafeEqual(digest(secret), Buffer.from(record.secret_hash, "hex"))) return null;
    const at = now();
    if (at - record.created_at >= ABSOLUTE_SECONDS * 1000 || at - record.last_seen >= IDLE_SECONDS * 1000) {
      await end(id, record.user_id);
      return null;
    }
    if (at - record.last_seen > TOUCH_AFTER_MS) {
      record.last_seen = at;
      await redis.set(sessionKey(id), JSON.stringify(record), "EX", ttlFor(record, at));
    }
    return { ...record, id };
  }

  async function end(id: string, userId: string) {
    await redis.multi().del(sessionKey(id), flashKey(id)).srem(userKey(userId), id).exec();
  }

  /** Every live session of a user, newest first (expired ids are pruned). */
  async function list(userId: string): Promise<Session[]> {
    const ids = await redis.smembers(userKey(userId));
    if (ids.length === 0) return [];
    const raws = await redis.mget(...ids.map(sessionKey));
    const dead = ids.filter((_, index) => raws[index] === null);
    if (dead.length > 0) await redis.srem(userKey(userId), ...dead);
    return raws
      .map((raw, index) => (raw ? { ...(JSON.parse(raw) as SessionRecord), id: ids[index]! } : null))
      .filter((session): session is Session => session !== null && session.user_id === userId)
      .sort((a, b) => b.last_seen - a.last_seen);
  }

  /** Ends all of a user's sessions but `keepId` (password change, deactivation, logout elsewhere). */
  async function endAllForUser(userId: string, keepId?: string) {
    const ids = (await redis.smembers(userKey(userId))).filter((id) => id !== keepId);
    if (ids.length === 0) return 0;
    await redis.multi().del(...ids.map(sessionKey), ...ids.map(flashKey)).srem(userKey(userId), ...ids).exec();
    return ids.length;
  }

  /** A role change takes effect on the user's next request, without signing them out. */
  async function updateRole(userId: string, role: Role) {
    for (const session of await list(userId)) {
      session.role = role;
      const { id, ...record } = session;
      await redis.set(sessionKey(id), JSON.stringify(record), "KEEPTTL");
    }
  }

  async function setFlash(id: string, flash: { kind: "success" | "error" | "info"; message: string }) {
    await redis.multi().rpush(flashKey(id), JSON.stringify(flash)).expire(flashKey(id), 120).exec();
  }

  async function takeFlash(id: string): Promise<{ kind: "success" | "error" | "info"; message: string }[]> {
    const [[, items]] = ((await redis.multi().lrange(flashKey(id), 0, -1).del(flashKey(id)).exec()) ?? [[null, []]]) as [[unknown, string[]]];
    return (items ?? []).map((item) => JSON.parse(item));
  }

  function cookie(token: string) {
    const secure = scheme === "https" ? "; Secure" : "";
    // No Domain attribute: host-only, so tenant A's cookie is never sent to tenant B.
    return `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ABSOLUTE_SECONDS}${secure}`;
  }

  function clearCookie() {
    const secure = scheme === "https" ? "; Secure" : "";
    return `${cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
  }

  function tokenFrom(request: Request): string | undefined {
    const header = request.headers.get("cookie");
    if (!header) return undefined;
    for (const part of header.split(";")) {
      const [name, ...value] = part.trim().split("=");
      if (name === cookieName) return value.join("=");
    }
    return undefined;
  }

  return { create, validate, end, list, endAllForUser, updateRole, setFlash, takeFlash, cookie, clearCookie, tokenFrom, cookieName };
}

export type Sessions = ReturnType<typeof createSessions>;

/** Constant-time check of a submitted CSRF token against the session's. */
export function csrfMatches(session: Pick<SessionRecord, "csrf">, submitted: string | null | undefined): boolean {
  if (!submitted || submitted.length !== session.csrf.length) return false;
  return timingSafeEqual(Buffer.from(submitted), Buffer.from(session.csrf));
}
