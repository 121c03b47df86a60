// The Webhooks section of /settings, an endpoint's delivery log, and their
// actions, through the same service as /api/webhooks. Like API keys, a new
// signing secret is rendered in the response to the create, never stored.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import type { SessionActor } from "../../identity/page-auth";
import { hasRole } from "../../identity/roles";
import { HttpError, NotFound } from "../../platform/errors";
import { parseForm } from "../../platform/forms";
import type { Flash } from "../../../views/components";
import type { Shell } from "../../../views/layout";
import { isHtmx, page, redirect, type HtmlSet } from "../../../views/render";
import type { SettingsSection } from "../settings/views";
import { findWebhook, listDeliveries, listWebhooks } from "./queries";
import { createWebhookBody, deliveryParams, webhookParams } from "./schema";
import { webhookService } from "./service";
import { DeliveryLogContent, type WebhooksView, WebhooksSection } from "./views";

async function sectionView(deps: Deps, tenantId: string, csrfToken: string, extra: Partial<WebhooksView> = {}): Promise<WebhooksView> {
  const endpoints = await deps.db.withTenantRead(tenantId, (tx) => listWebhooks(tx, tenantId, { limit: 100 }));
  return { endpoints: endpoints.slice(0, 100), csrfToken, ...extra };
}

export function webhookSection(deps: Deps): SettingsSection {
  return {
    id: "webhooks",
    render: async ({ tenantId, csrfToken, role }) => (hasRole(role, "admin") ? String(WebhooksSection({ view: await sectionView(deps, tenantId, csrfToken) })) : ""),
  };
}

const formValues = (body: unknown) => {
  const input = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 2048) : "");
  const events = Array.isArray(input.events) ? input.events.map(text) : input.events ? [text(input.events)] : [];
  return { url: text(input.url), description: text(input.description), events };
};

export function webhookPages(deps: Deps, auth: AuthPlugin) {
  const { db, sessions } = deps;
  const webhooks = webhookService(deps, deps.webhookResolver);

  async function renderSection(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, extra: Partial<WebhooksView> = {}) {
    const view = await sectionView(deps, actor.tenantId, shell.csrfToken, extra);
    return page(request, set, { ...shell, title: "Webhooks", active: "settings" }, WebhooksSection({ view }));
  }

  async function renderLog(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, webhookId: string) {
    const { endpoint, deliveries } = await db.withTenantRead(actor.tenantId, async (tx) => ({
      endpoint: await findWebhook(tx, actor.tenantId, webhookId),
      deliveries: await listDeliveries(tx, actor.tenantId, webhookId, { limit: 50 }),
    }));
    if (!endpoint) throw NotFound("No such webhook.");
    return page(request, set, { ...shell, title: "Delivery log", active: "settings" }, DeliveryLogContent({ endpoint, deliveries: deliveries.slice(0, 50), csrfToken: shell.csrfToken }));
  }

  async function done(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, flash: Flash, location: string, again: () => Promise<string>) {
    if (isHtmx(request)) return again();
    await sessions.setFlash(actor.session.id, flash);
    return redirect(request, set, location);
  }

  return new Elysia({ prefix: "/settings/webhooks" })
    .use(auth)
    .post(
      "/",
      async ({ request, set, actor, shell, body }) => {
        const values = formValues(body);
        const form = parseForm(createWebhookBody.strip(), values);
        const invalid = (errors: Record<string, string>) => {
          set.status = isHtmx(request) ? 200 : 422;
          return renderSection(request, set, actor, shell, { errors, values });
        };
        if (!form.ok) return invalid(form.errors);
        try {
          const created = await webhooks.create(actor, request, form.data);
          const flash: Flash[] = [{ kind: "success", message: "Webhook endpoint added." }];
          return renderSection(request, set, actor, { ...shell, flash }, { created: { url: created.url, secret: created.secret } });
        } catch (error) {
          if (!(error instanceof HttpError) || error.status !== 422) throw error;
          const details = (error.details as { field: string; message: string }[] | undefined) ?? [];
          return invalid(Object.fromEntries(details.map((detail) => [detail.field, detail.message])));
        }
      },
      { page: "admin" },
    )
    .post(
      "/:id/delete",
      async ({ request, set, actor, shell, params }) => {
        await webhooks.remove(actor, request, params.id);
        const flash: Flash = { kind: "success", message: "Webhook endpoint deleted." };
        return done(request, set, actor, shell, flash, "/settings#webhooks", () => renderSection(request, set, actor, { ...shell, flash: [flash] }));
      },
      { page: "admin", params: webhookParams },
    )
    .get("/:id", ({ request, set, actor, shell, params }) => renderLog(request, set, actor, shell, params.id), { page: "admin", params: webhookParams })
    .post(
      "/:id/deliveries/:deliveryId/resend",
      async ({ request, set, actor, shell, params }) => {
        await webhooks.resend(actor, request, params.id, params.deliveryId);
        const flash: Flash = { kind: "success", message: "Delivery queued again." };
        return done(request, set, actor, shell, flash, `/settings/webhooks/${params.id}`, () => renderLog(request, set, actor, { ...shell, flash: [flash] }, params.id));
      },
      { page: "admin", params: deliveryParams },
    );
}
