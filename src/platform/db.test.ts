// withTenant pipelines the tenant setting with the work's first query. These
// tests pin what the pipelining must never break: the setting comes first, and
// whatever happens inside, the connection goes back to the pool outside any
// transaction, so the next user cannot inherit a tenant.
import { afterAll, describe, expect, test } from "bun:test";
import { testConfig } from "../../test/helpers";
import { createPool, tenantScope } from "./db";

// One connection, so the next query surely reuses the one withTenant had.
const sql = createPool(testConfig().DATABASE_URL, 1);
const withTenant = tenantScope(sql);
const withTenantRead = tenantScope(sql, "read only");
const tenantId = crypto.randomUUID();

afterAll(() => sql.end({ timeout: 1 }));

/**
 * The pooled connection's state after a scope: its tenant setting, and whether
 * it is still inside a transaction (a transaction-local setting made by one
 * query is still there for the next one only inside a transaction).
 */
async function pooledState() {
  const [row] = await sql<{ tenant: string | null }[]>`select nullif(current_setting('app.tenant_id', true), '') as tenant`;
  await sql`select set_config('app.probe', 'inside', true)`;
  const [probe] = await sql<{ value: string | null }[]>`select nullif(current_setting('app.probe', true), '') as value`;
  return { tenant: row?.tenant ?? null, in_transaction: probe?.value === "inside" };
}

describe("withTenant", () => {
  test("a query returned without await runs with the tenant set, then commits", async () => {
    const [row] = await withTenant(tenantId, (tx) => tx<{ tenant: string }[]>`select current_setting('app.tenant_id') as tenant`);
    expect(row?.tenant).toBe(tenantId);
    expect(await pooledState()).toEqual({ tenant: null, in_transaction: false });
  });

  test("several awaited queries share one transaction and one tenant", async () => {
    const [first, second] = await withTenant(tenantId, async (tx) => {
      const [a] = await tx<{ id: string }[]>`select txid_current()::text as id`;
      const [b] = await tx<{ id: string; tenant: string }[]>`select txid_current()::text as id, current_setting('app.tenant_id') as tenant`;
      return [a, b];
    });
    expect(second?.id).toBe(first!.id);
    expect(second?.tenant).toBe(tenantId);
    expect(await pooledState()).toEqual({ tenant: null, in_transaction: false });
  });

  test("work that throws before any query still rolls back cleanly", async () => {
    // The rollback must not overtake the pipelined setting (postgres.js sends
    // queries a microtask after they are first executed).
    await expect(withTenant(tenantId, () => { throw new Error("refused"); })).rejects.toThrow("refused");
    expect(await pooledState()).toEqual({ tenant: null, in_transaction: false });
  });

  test("a failing query returned without await rejects and leaves the connection clean", async () => {
    await expect(withTenant(tenantId, (tx) => tx`select 1 / 0`)).rejects.toThrow(/division by zero/);
    expect(await pooledState()).toEqual({ tenant: null, in_transaction: false });
  });

  test("a failing awaited query rejects and leaves the connection clean", async () => {
    await expect(withTenant(tenantId, async (tx) => {
      await tx`select 1`;
      await tx`select 1 / 0`;
    })).rejects.toThrow(/division by zero/);
    expect(await pooledState()).toEqual({ tenant: null, in_transaction: false });
  });

  test("withTenantRead refuses writes, returned or awaited", async () => {
    await expect(withTenantRead(tenantId, (tx) => tx`create temporary table read_only_probe (id int)`)).rejects.toThrow(/read-only/);
    await expect(withTenantRead(tenantId, async (tx) => tx`create temporary table read_only_probe (id int)`)).rejects.toThrow(/read-only/);
    expect(await pooledState()).toEqual({ tenant: null, in_transaction: false });
  });
});
