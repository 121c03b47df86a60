// Writes one audit row inside the caller's transaction (STYLE 16: `noun.verb`).
import type { TenantSql } from "../../platform/db";
import type { Actor } from "../../identity/auth";
import { requestMeta } from "../../platform/http";

export type AuditActor = { type: "user" | "api_key" | "system" | "anonymous"; id?: string | null; label?: string | null };

export type AuditEntry = {
  action: string;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
};

export type AuditContext = { actor: AuditActor; ip: string; userAgent: string | null; requestId: string };

/** Who an authenticated caller is, for the audit trail: a person, or the API key an integration used. */
export function auditActorOf(actor: Actor): AuditActor {
  return actor.kind === "api_key" ? { type: "api_key", id: actor.keyId, label: actor.name } : { type: "user", id: actor.userId, label: actor.email };
}

/** The who/where of a request, taken from the request itself, never from its body. */
export function auditContext(request: Request, actor: AuditActor): AuditContext {
  const meta = requestMeta(request);
  return { actor, ip: meta.ip, userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null, requestId: meta.requestId };
}

export async function recordAudit(tx: TenantSql, tenantId: string, context: AuditContext, entry: AuditEntry) {
  await tx`insert into audit_log (tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id, ip, user_agent, request_id, details)
    values (${tenantId}, ${context.actor.type}, ${context.actor.id ?? null}, ${context.actor.label ?? null}, ${entry.action},
            ${entry.target?.type ?? null}, ${entry.target?.id ?? null}, ${context.ip}, ${context.userAgent}, ${context.requestId},
            ${tx.json((entry.details ?? {}) as Parameters<TenantSql["json"]>[0])})`;
}
