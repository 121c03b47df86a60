// The delivery schedule: a Redis sorted set of "<tenant>:<delivery>" scored by
// the time each is due. Postgres stays the truth (webhook_deliveries.status);
// this is only the index of what to try when, so losing it loses nothing: the
// recovery pass rebuilds it from Postgres.
import type Redis from "ioredis";
import type { Sql } from "../../platform/db";

// Claiming moves a due member's score to now + lease instead of removing it:
// exactly one worker gets it, and if that worker dies mid-delivery the member
// simply becomes due again when the lease ends.
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[3], member) end
return due`;

export type QueuedDelivery = { tenantId: string; deliveryId: string; member: string };

const toMember = (tenantId: string, deliveryId: string) => `${tenantId}:${deliveryId}`;

function parse(member: string): QueuedDelivery {
  const [tenantId = "", deliveryId = ""] = member.split(":");
  return { tenantId, deliveryId, member };
}

export function createDeliveryQueue(redis: Redis, key = "webhooks:due") {
  return {
    key,
    /** NX: never pulls a claimed (leased) delivery forward. */
    async schedule(tenantId: string, deliveryIds: string[], dueAtMs: number) {
      if (deliveryIds.length === 0) return;
      await redis.zadd(key, "NX", ...deliveryIds.flatMap((id) => [dueAtMs, toMember(tenantId, id)]));
    },
    async claim(batch: number, leaseMs: number): Promise<QueuedDelivery[]> {
      const now = Date.now();
      const members = (await redis.eval(CLAIM, 1, key, now, batch, now + leaseMs)) as string[];
      return members.map(parse);
    },
    async retryAt(item: QueuedDelivery, dueAtMs: number) {
      await redis.zadd(key, dueAtMs, item.member);
    },
    async finish(item: QueuedDelivery) {
      await redis.zrem(key, item.member);
    },
    /** Re-indexes every delivery Postgres still owes (after a restart, a flush, a lost enqueue). */
    async recover(sql: Sql) {
      const rows = await sql<{ id: string; tenant_id: string; next_attempt_at: Date }[]>`select * from app_pending_webhook_deliveries()`;
      if (rows.length === 0) return 0;
      await redis.zadd(key, "NX", ...rows.flatMap((row) => [row.next_attempt_at.getTime(), toMember(row.tenant_id, row.id)]));
      return rows.length;
    },
  };
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;
