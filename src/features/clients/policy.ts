// Who may do what to clients (SPEC §4: members manage clients).
import type { Actor } from "../../identity/auth";
import { hasRole } from "../../identity/roles";
import { Forbidden } from "../../platform/errors";

export type ClientAction = "list" | "read" | "create" | "update" | "delete";

export function canClient(actor: Pick<Actor, "role">, _action: ClientAction): boolean {
  return hasRole(actor.role, "member");
}

export function authorizeClient(actor: Pick<Actor, "role">, action: ClientAction) {
  if (!canClient(actor, action)) throw Forbidden();
}
