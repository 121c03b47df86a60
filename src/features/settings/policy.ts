// Who may change workspace settings (SPEC §4): admins and owners; members read.
import { hasRole } from "../../identity/roles";
import type { Role } from "../../identity/tokens";
import { Forbidden } from "../../platform/errors";

export type SettingsAction = "read" | "update";

export function canSettings(actor: { role: Role }, action: SettingsAction): boolean {
  return hasRole(actor.role, action === "read" ? "member" : "admin");
}

export function authorizeSettings(actor: { role: Role }, action: SettingsAction) {
  if (!canSettings(actor, action)) throw Forbidden("Only admins change workspace settings.");
}
