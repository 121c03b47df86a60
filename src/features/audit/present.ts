// Row → API JSON for the audit log.
export type AuditRow = {
  id: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  cursor_at: string;
};

export const presentAuditEvent = (row: AuditRow) => ({
  id: row.id,
  action: row.action,
  actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
  target: row.target_type ? { type: row.target_type, id: row.target_id } : null,
  ip: row.ip,
  user_agent: row.user_agent,
  request_id: row.request_id,
  details: row.details,
  created_at: row.created_at.toISOString(),
});
