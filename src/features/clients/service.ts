// Client changes, shared by the JSON API and the dashboard forms. Each change
// and its audit row commit in one transaction. (Webhook events hook in here.)
import type { Deps } from "../../app";
import type { Actor } from "../../identity/auth";
import { NotFound } from "../../platform/errors";
import { auditActorOf, auditContext, recordAudit } from "../audit/record";
import { authorizeClient } from "./policy";
import { presentClient } from "./present";
import { deleteClient, insertClient, updateClient } from "./queries";
import type { CreateClientInput, UpdateClientInput } from "./schema";

export function clientService(deps: Deps) {
  const { db } = deps;

  async function create(actor: Actor, request: Request, input: CreateClientInput) {
    authorizeClient(actor, "create");
    return db.withTenant(actor.tenantId, async (tx) => {
      const client = await insertClient(tx, actor.tenantId, "userId" in actor ? actor.userId : null, input);
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "clients.create",
        target: { type: "client", id: client.id },
        details: { name: client.name },
      });
      await deps.webhooks.emit(tx, actor.tenantId, "client.created", presentClient(client));
      return client;
    });
  }

  async function update(actor: Actor, request: Request, clientId: string, input: UpdateClientInput) {
    authorizeClient(actor, "update");
    return db.withTenant(actor.tenantId, async (tx) => {
      const client = await updateClient(tx, actor.tenantId, clientId, input);
      if (!client) throw NotFound("No such client.");
      // Field names only: values (notes, emails) stay out of the permanent trail.
      const fields = Object.keys(input).filter((key) => input[key as keyof UpdateClientInput] !== undefined);
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "clients.update",
        target: { type: "client", id: client.id },
        details: { fields },
      });
      await deps.webhooks.emit(tx, actor.tenantId, "client.updated", presentClient(client));
      return client;
    });
  }

  async function remove(actor: Actor, request: Request, clientId: string) {
    authorizeClient(actor, "delete");
    return db.withTenant(actor.tenantId, async (tx) => {
      const client = await deleteClient(tx, actor.tenantId, clientId);
      if (!client) throw NotFound("No such client.");
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "clients.delete",
        target: { type: "client", id: client.id },
        details: { name: client.name },
      });
      await deps.webhooks.emit(tx, actor.tenantId, "client.deleted", { id: client.id, name: client.name });
      return client;
    });
  }

  return { create, update, remove };
}
