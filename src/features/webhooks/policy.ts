// Who may do what to webhooks (SPEC §5: admins). A webhook sends tenant data
// to a URL of the caller's choosing, so it is an admin-level setting.
import type { Actor } from "../../identity/auth";
import { hasRole } from "../../identity/roles";
import { Forbidden } from "../../platform/errors";

export type WebhookAction = "list" | "read" | "create" | "delete" | "resend";

export function canWebhook(actor: Pick<Actor, "role">, _action: WebhookAction): boolean {
  return hasRole(actor.role, "admin");
}

export function authorizeWebhook(actor: Pick<Actor, "role">, action: WebhookAction) {
  if (!canWebhook(actor, action)) throw Forbidden();
}
