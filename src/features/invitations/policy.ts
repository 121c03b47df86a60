// Who may invite (SPEC §4): admins and owners manage the team.
import type { Role } from "../../identity/tokens";
import { hasRole } from "../../identity/roles";
import { Forbidden } from "../../platform/errors";

export type InvitationAction = "list" | "create" | "revoke";

export function canInvitation(actor: { role: Role }, _action: InvitationAction): boolean {
  return hasRole(actor.role, "admin");
}

export function authorizeInvitation(actor: { role: Role }, action: InvitationAction) {
  if (!canInvitation(actor, action)) throw Forbidden("Only admins manage invitations.");
}
