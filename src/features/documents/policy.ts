// Who may do what to documents (SPEC §4: members manage documents).
import type { Actor } from "../../identity/auth";
import { hasRole } from "../../identity/roles";
import { Forbidden } from "../../platform/errors";

export type DocumentAction = "list" | "read" | "upload" | "download" | "delete";

export function canDocument(actor: Pick<Actor, "role">, _action: DocumentAction): boolean {
  return hasRole(actor.role, "member");
}

export function authorizeDocument(actor: Pick<Actor, "role">, action: DocumentAction) {
  if (!canDocument(actor, action)) throw Forbidden();
}
