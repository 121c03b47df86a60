// Who may read the audit log (SPEC §4: admins and owners).
import type { Actor } from "../../identity/auth";
import { hasRole } from "../../identity/roles";
import { Forbidden } from "../../platform/errors";

export function canReadAudit(actor: Pick<Actor, "role">): boolean {
  return hasRole(actor.role, "admin");
}

export function authorizeAuditRead(actor: Pick<Actor, "role">) {
  if (!canReadAudit(actor)) throw Forbidden();
}
