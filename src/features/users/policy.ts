// Who may do what to team members (SPEC §4): everyone reads the team; admins
// change roles, (de)activate and end a member's sessions; an owner is never demoted or deactivated by
// others, and nobody changes their own role or deactivates themselves (a
// workspace must never lose its last administrator by accident).
import { hasRole } from "../../identity/roles";
import type { Role } from "../../identity/tokens";
import { Forbidden } from "../../platform/errors";

export type MemberAction = "list" | "change_role" | "deactivate" | "activate" | "end_sessions";
type Caller = { role: Role; userId?: string };
type Target = { id: string; role: Role };

export function canMember(actor: Caller, action: MemberAction, target?: Target): boolean {
  if (action === "list") return hasRole(actor.role, "member");
  if (!hasRole(actor.role, "admin")) return false;
  if (!target) return true;
  if (target.id === actor.userId) return false;
  return target.role !== "owner";
}

export function authorizeMember(actor: Caller, action: MemberAction, target?: Target) {
  if (!canMember(actor, action, target)) {
    throw Forbidden(target?.role === "owner" ? "The owner of a workspace cannot be changed by others." : target?.id === actor.userId ? "You cannot do that to your own account." : undefined);
  }
}
