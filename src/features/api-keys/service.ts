// API key changes, shared by the JSON API and the settings page. Each change
// and its audit row commit in one transaction.
import type { Deps } from "../../app";
import { generateApiKey } from "../../identity/api-keys";
import { requireUser, type Actor } from "../../identity/auth";
import { NotFound } from "../../platform/errors";
import { auditActorOf, auditContext, recordAudit } from "../audit/record";
import { authorizeApiKey } from "./policy";
import { presentApiKey } from "./present";
import { insertApiKey, revokeApiKey } from "./queries";
import type { CreateApiKeyInput } from "./schema";

export function apiKeyService(deps: Pick<Deps, "db" | "apiKeys">) {
  const { db, apiKeys } = deps;

  /** The new key's JSON, including the plaintext `key` — the only time it exists outside the caller. */
  async function create(actor: Actor, request: Request, input: CreateApiKeyInput) {
    authorizeApiKey(actor, "create", input);
    const person = requireUser(actor);
    const secret = generateApiKey();
    const row = await db.withTenant(person.tenantId, async (tx) => {
      const row = await insertApiKey(tx, person.tenantId, { hash: secret.hash, prefix: secret.prefix, createdBy: person.userId }, input);
      await recordAudit(tx, person.tenantId, auditContext(request, auditActorOf(person)), {
        action: "api_keys.create",
        target: { type: "api_key", id: row.id },
        details: { name: row.name, role: row.role },
      });
      return row;
    });
    return { ...presentApiKey(row), key: secret.key };
  }

  async function revoke(actor: Actor, request: Request, keyId: string) {
    authorizeApiKey(actor, "revoke");
    const revoked = await db.withTenant(actor.tenantId, async (tx) => {
      const row = await revokeApiKey(tx, actor.tenantId, keyId);
      if (!row) throw NotFound("No such API key.");
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "api_keys.revoke",
        target: { type: "api_key", id: row.id },
        details: { name: row.name },
      });
      return row;
    });
    // After commit: from here on every replica refuses the key.
    await apiKeys.forget(revoked.key_hash);
  }

  return { create, revoke };
}
