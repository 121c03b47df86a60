// Who may change workspace settings (SPEC §4): admins and owners; members read;
// sign-in policy for everyone (require 2FA) is the owner's alone.
import { hasRole } from "../../identity/roles";
import type { Role } from "../../identity/tokens";
import { Forbidden } from "../../platform/errors";

export type SettingsAction = "read" | "update" | "security";

export function canSettings(actor: { role: Role }, action: SettingsAction): boolean {
  return hasRole(actor.role, action === "read" ? "member" : action === "security" ? "owner" : "admin");
}

export function authorizeSettings(actor: { role: Role }, action: SettingsAction) {
  if (!canSettings(actor, action)) throw Forbidden(action === "security" ? "Only the owner changes the sign-in policy." : "Only admins change workspace settings.");
}
