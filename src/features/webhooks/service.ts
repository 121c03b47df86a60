// Webhook endpoint changes, shared by the JSON API and the settings page.
import type { Deps } from "../../app";
import type { Actor } from "../../identity/auth";
import { Invalid, NotFound } from "../../platform/errors";
import { auditActorOf, auditContext, recordAudit } from "../audit/record";
import { authorizeWebhook } from "./policy";
import { presentDelivery, presentWebhook } from "./present";
import { copyDelivery, deleteWebhook, insertWebhook } from "./queries";
import type { CreateWebhookInput } from "./schema";
import { generateSigningSecret } from "./signing";
import { checkTarget, TargetRefused, type Resolver } from "./ssrf";

export function webhookService(deps: Pick<Deps, "db" | "config" | "secretBox" | "webhookQueue">, resolver?: Resolver) {
  const { db, config, secretBox, webhookQueue } = deps;

  /** The new endpoint's JSON with its signing `secret` — the only time the secret is shown. */
  async function create(actor: Actor, request: Request, input: CreateWebhookInput) {
    authorizeWebhook(actor, "create");
    try {
      await checkTarget(input.url, config.WEBHOOK_ALLOWED_HOSTS, resolver);
    } catch (error) {
      if (error instanceof TargetRefused) throw Invalid("The webhook URL is not allowed.", [{ field: "url", message: error.message }]);
      throw error;
    }
    const { secret, prefix } = generateSigningSecret();
    const createdBy = actor.kind === "api_key" ? null : actor.userId;
    const row = await db.withTenant(actor.tenantId, async (tx) => {
      const row = await insertWebhook(tx, actor.tenantId, input, { sealed: secretBox.seal(secret), prefix, createdBy });
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "webhooks.create",
        target: { type: "webhook", id: row.id },
        details: { url: row.url, events: row.events },
      });
      return row;
    });
    return { ...presentWebhook(row), secret };
  }

  async function remove(actor: Actor, request: Request, webhookId: string) {
    authorizeWebhook(actor, "delete");
    await db.withTenant(actor.tenantId, async (tx) => {
      const row = await deleteWebhook(tx, actor.tenantId, webhookId);
      if (!row) throw NotFound("No such webhook.");
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "webhooks.delete",
        target: { type: "webhook", id: row.id },
        details: { url: row.url },
      });
    });
  }

  /** Sends an earlier delivery's exact payload again, as a new delivery with its own attempts. */
  async function resend(actor: Actor, request: Request, webhookId: string, deliveryId: string) {
    authorizeWebhook(actor, "resend");
    const copy = await db.withTenant(actor.tenantId, async (tx) => {
      const copy = await copyDelivery(tx, actor.tenantId, webhookId, deliveryId);
      if (!copy) throw NotFound("No such delivery.");
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "webhooks.resend",
        target: { type: "webhook_delivery", id: copy.id },
        details: { webhook_id: webhookId, original_delivery_id: deliveryId, event_id: copy.event_id },
      });
      return copy;
    });
    // After commit; the recovery pass covers a Redis hiccup here.
    await webhookQueue.schedule(actor.tenantId, [copy.id], Date.now()).catch(() => {});
    return presentDelivery(copy);
  }

  return { create, remove, resend };
}
