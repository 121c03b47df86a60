// Proof that every list query stays an index scan at scale: 20k rows for one
// tenant, real statistics (ANALYZE), then EXPLAIN of the exact SQL the
// queries.ts functions send (captured through postgres.js' debug hook).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { tenantScope, type TenantSql } from "../../platform/db";
import { encodeCursor } from "../../platform/pagination";
import { listAuditEvents } from "../audit/queries";
import { listDocuments } from "../documents/queries";
import { makeApp, signupTenant, testConfig } from "../../../test/helpers";
import { listClients } from "./queries";

const ROWS = 20_000;
const config = testConfig();
let captured: { query: string; params: unknown[] }[] = [];
const traced = postgres(config.DATABASE_URL, { max: 1, onnotice: () => {}, debug: (_connection, query, params) => captured.push({ query, params: params as unknown[] }) });
const owner = postgres(config.MIGRATION_DATABASE_URL, { max: 1, onnotice: () => {} });
const withTenant = tenantScope(traced);
const target = makeApp();
let tenantId = "";

beforeAll(async () => {
  const signedUp = await signupTenant(target);
  tenantId = signedUp.tenant.id;
  await target.deps.db.withTenant(tenantId, async (tx) => {
    await tx`insert into clients (tenant_id, name, email, company, status, created_at)
      select ${tenantId}, 'Client ' || g, 'contact' || g || '@example.test', 'Company ' || (g % 700),
             (array['lead', 'active', 'inactive'])[1 + g % 3], now() - g * interval '1 minute'
      from generate_series(1, ${ROWS}) g`;
    await tx`insert into documents (tenant_id, client_id, filename, content_type, size, sha256, storage_key, created_at)
      select ${tenantId}, null, 'file-' || g || '.pdf', 'application/pdf', g, repeat('a', 64),
             ${tenantId} || '/documents/' || gen_random_uuid(), now() - g * interval '1 minute'
      from generate_series(1, ${ROWS}) g`;
    await tx`insert into audit_log (tenant_id, actor_type, actor_id, action, target_type, target_id, created_at)
      select ${tenantId}, 'user', ${signedUp.user.id}, (array['clients.create', 'clients.update', 'documents.upload'])[1 + g % 3], 'client', g::text,
             now() - g * interval '1 minute'
      from generate_series(1, ${ROWS}) g`;
  });
  // ANALYZE needs the table owner; the app role may not run it.
  await owner`analyze clients`;
  await owner`analyze documents`;
  await owner`analyze audit_log`;
}, 60_000);

afterAll(async () => {
  // The test database persists between runs: take the 60k rows away again.
  if (tenantId) await owner`delete from tenants where id = ${tenantId}`;
  await Promise.all([traced.end(), owner.end()]);
});

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

/** Runs `work`, then EXPLAINs the last statement it sent, inside the same tenant scope. */
async function planOf(table: string, work: (tx: TenantSql) => Promise<unknown>) {
  return withTenant(tenantId, async (tx) => {
    captured = [];
    await work(tx);
    const last = captured.at(-1)!;
    const [row] = await tx.unsafe(`explain (format json) ${last.query}`, last.params as never[]);
    const plan = nodes((row as unknown as { "QUERY PLAN": { Plan: PlanNode }[] })["QUERY PLAN"][0]!.Plan);
    const onTable = plan.filter((node) => node["Relation Name"] === table || node["Index Name"]?.startsWith(table));
    return { types: onTable.map((node) => node["Node Type"]), indexes: onTable.map((node) => node["Index Name"]).filter(Boolean) };
  });
}

const cursor = encodeCursor({ createdAt: new Date(Date.now() - 10_000 * 60_000).toISOString().replace("Z", "000Z"), id: "ffffffff-ffff-4fff-bfff-ffffffffffff" });

describe(`list queries at ${ROWS} rows per tenant`, () => {
  const cases: [string, string, (tx: TenantSql) => Promise<unknown>][] = [
    ["clients, newest first", "clients", (tx) => listClients(tx, tenantId, { limit: 20 })],
    ["clients, next page", "clients", (tx) => listClients(tx, tenantId, { limit: 20, cursor })],
    ["clients by status", "clients", (tx) => listClients(tx, tenantId, { limit: 20, status: "active" })],
    ["clients search", "clients", (tx) => listClients(tx, tenantId, { limit: 20, q: "contact1234@" })],
    ["clients rare search", "clients", (tx) => listClients(tx, tenantId, { limit: 20, q: "zzzz-no-such-client" })],
    ["documents, newest first", "documents", (tx) => listDocuments(tx, tenantId, { limit: 20 })],
    ["documents of a client", "documents", (tx) => listDocuments(tx, tenantId, { limit: 20, client_id: crypto.randomUUID() })],
    ["audit log", "audit_log", (tx) => listAuditEvents(tx, tenantId, { limit: 50 })],
    ["audit log by action", "audit_log", (tx) => listAuditEvents(tx, tenantId, { limit: 50, action: "clients.update" })],
  ];
  for (const [name, table, work] of cases) {
    test(`${name}: an index scan, never a sequential scan`, async () => {
      const plan = await planOf(table, work);
      expect(plan.types).not.toContain("Seq Scan");
      expect(plan.types.some((type) => /Index/.test(type))).toBe(true);
    });
  }

  // The search itself runs in app_search_client_ids as its owner (outside RLS):
  // EXPLAIN its query as that owner, with the custom plan the function forces.
  for (const [name, pattern] of [["a specific search", "%contact1234@%"], ["a search matching nothing", "%zzzz-no-such-client%"]] as const) {
    test(`client search function, ${name}: the (tenant_id, search_text) GIN index`, async () => {
      const plan = await owner.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
        await tx`set local plan_cache_mode = force_custom_plan`;
        const [fn] = await tx<{ body: string }[]>`select prosrc as body from pg_proc where proname = 'app_search_client_ids'`;
        const query = /return query([\s\S]+?);/.exec(fn!.body)![1];
        await tx.unsafe(`prepare client_search(text, text, timestamptz, uuid, integer) as ${query}`);
        const [row] = await tx.unsafe(`explain (format json) execute client_search('${pattern}', null, null, null, 21)`);
        await tx.unsafe("deallocate client_search");
        return nodes((row as unknown as { "QUERY PLAN": { Plan: PlanNode }[] })["QUERY PLAN"][0]!.Plan);
      });
      expect(plan.map((node) => node["Node Type"])).not.toContain("Seq Scan");
      expect(plan.map((node) => node["Index Name"])).toContain("clients_tenant_search_idx");
    });
  }
});
