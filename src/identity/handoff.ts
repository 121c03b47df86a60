// One-time hand-off from the apex site to a tenant host (sign-up, workspace
// login): cookies are host-only, so the apex cannot log a user into
// `acme.BASE_DOMAIN` directly. The token is random, lives 60 s in Redis as a
// hash, is consumed with GETDEL (single use even under a race) and is bound to
// the one host and tenant it was made for.
import type Redis from "ioredis";
import { digest, randomToken } from "./secrets";

export const HANDOFF_SECONDS = 60;

type Handoff = { user_id: string; tenant_id: string; host: string };

const key = (token: string) => `handoff:${digest(token).toString("hex")}`;
const hostName = (host: string) => host.toLowerCase().replace(/:\d+$/, "");

export function createHandoffs(redis: Redis) {
  async function issue(target: Handoff): Promise<string> {
    const token = randomToken(32);
    await redis.set(key(token), JSON.stringify({ ...target, host: hostName(target.host) }), "EX", HANDOFF_SECONDS);
    return token;
  }

  /** The user and tenant the token was issued for, if it is live, unused and meant for `host`. */
  async function consume(token: string, host: string, tenantId: string): Promise<Handoff | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const raw = await redis.getdel(key(token));
    if (!raw) return null;
    const handoff = JSON.parse(raw) as Handoff;
    // Spent even when presented on the wrong host: a leaked token is dead either way.
    if (handoff.host !== hostName(host) || handoff.tenant_id !== tenantId) return null;
    return handoff;
  }

  return { issue, consume };
}

export type Handoffs = ReturnType<typeof createHandoffs>;
