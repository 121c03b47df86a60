// Who may do what to API keys (SPEC §4: admins manage API keys).
import type { Actor } from "../../identity/auth";
import { hasRole } from "../../identity/roles";
import { Forbidden, HttpError } from "../../platform/errors";
import type { CreateApiKeyInput } from "./schema";

export type ApiKeyAction = "list" | "create" | "revoke";

export function canApiKey(actor: Pick<Actor, "role" | "kind">, action: ApiKeyAction): boolean {
  if (!hasRole(actor.role, "admin")) return false;
  // A leaked key must not be able to mint its own replacement, which would
  // outlive the key's revocation: only a person creates keys.
  if (action === "create" && actor.kind === "api_key") return false;
  return true;
}

export function authorizeApiKey(actor: Pick<Actor, "role" | "kind">, action: ApiKeyAction, input?: CreateApiKeyInput) {
  if (action === "create" && actor.kind === "api_key") {
    throw new HttpError(403, "user_required", "API keys are created by a person, not by another API key.");
  }
  if (!canApiKey(actor, action)) throw Forbidden();
  // A key never holds more power than the person who made it.
  if (input && !hasRole(actor.role, input.role)) throw Forbidden("You cannot create a key with a role above your own.");
}
