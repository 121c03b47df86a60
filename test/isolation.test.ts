// Tenant isolation at the database: RLS is the second lock behind every
// query's own `tenant_id` filter, and the app refuses a role that bypasses it.
import { describe, expect, test } from "bun:test";
import postgres from "postgres";
import { assertAppRole, UnsafeDatabaseRole } from "../src/platform/db";
import { call, makeApp, signupTenant, testConfig } from "./helpers";

const target = makeApp();
const { sql, withTenant } = target.deps.db;
const config = testConfig();

async function tenantTables(): Promise<string[]> {
  const rows = await sql<{ table_name: string }[]>`
    select table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'tenant_id' order by table_name`;
  return rows.map((row) => row.table_name);
}

describe("row-level security", () => {
  test("every table with a tenant_id has RLS enabled, forced, and a restrictive tenant policy", async () => {
    const tables = [...(await tenantTables()), "tenants"];
    expect(tables).toEqual(expect.arrayContaining(["users", "refresh_tokens", "audit_log", "tenants"]));
    const rows = await sql<{ name: string; enabled: boolean; forced: boolean; restrictive: number }[]>`
      select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
        (select count(*)::int from pg_policy p where p.polrelid = c.oid and not p.polpermissive) as restrictive
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = any(${tables})`;
    for (const row of rows) expect(row).toEqual({ name: row.name, enabled: true, forced: true, restrictive: 1 });
    expect(rows.length).toBe(tables.length);
  });

  test("outside withTenant the app role sees zero tenant rows", async () => {
    await signupTenant(target);
    for (const table of [...(await tenantTables()), "tenants"]) {
      const [row] = await sql`select count(*)::int as count from ${sql(table)}`;
      expect({ table, count: row!.count }).toEqual({ table, count: 0 });
    }
  });

  test("inside withTenant only that tenant's rows are visible", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    const users = await withTenant(a.tenant.id, (tx) => tx`select id, tenant_id from users`);
    expect(users.map((user) => user.id)).toEqual([a.user.id]);
    const tenants = await withTenant(a.tenant.id, (tx) => tx`select id from tenants`);
    expect(tenants.map((tenant) => tenant.id)).toEqual([a.tenant.id]);
    const bUser = await withTenant(a.tenant.id, (tx) => tx`select id from users where id = ${b.user.id}`);
    expect(bUser.length).toBe(0);
  });

  test("writing another tenant's row is refused by WITH CHECK, and updates cannot reach it", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    const insert = withTenant(a.tenant.id, (tx) => tx`
      insert into users (tenant_id, email, password_hash, first_name, last_name)
      values (${b.tenant.id}, ${`intruder-${crypto.randomUUID()}@example.test`}, 'x', 'I', 'N')`);
    await expect(insert).rejects.toMatchObject({ code: "42501" });
    const moved = withTenant(a.tenant.id, (tx) => tx`update users set tenant_id = ${b.tenant.id} where id = ${a.user.id}`);
    await expect(moved).rejects.toMatchObject({ code: "42501" });
    const updated = await withTenant(a.tenant.id, (tx) => tx`update users set first_name = 'Hacked' where id = ${b.user.id}`);
    expect(updated.count).toBe(0);
    const deleted = await withTenant(a.tenant.id, (tx) => tx`delete from users where tenant_id = ${b.tenant.id}`);
    expect(deleted.count).toBe(0);
  });

  test("the tenant setting is transaction-local: it does not leak to the next query on the pool", async () => {
    const a = await signupTenant(target);
    await withTenant(a.tenant.id, (tx) => tx`select 1`);
    const rows = await Promise.all(Array.from({ length: 20 }, () => sql`select count(*)::int as count from users`));
    expect(rows.every(([row]) => row!.count === 0)).toBe(true);
  });

  test("the app role cannot call the migration helper or turn RLS off", async () => {
    await expect(sql`select app_enable_tenant_rls('users')`).rejects.toMatchObject({ code: "42501" });
    await expect(sql`alter table users disable row level security`).rejects.toMatchObject({ code: "42501" });
  });
});

describe("start-up role check", () => {
  test("accepts the app role", async () => {
    await assertAppRole(sql);
  });

  test("refuses a superuser and the tables' owner", async () => {
    const database = new URL(config.DATABASE_URL).pathname;
    for (const url of [`postgres://postgres@127.0.0.1:5432${database}`, config.MIGRATION_DATABASE_URL]) {
      const privileged = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await expect(assertAppRole(privileged)).rejects.toBeInstanceOf(UnsafeDatabaseRole);
      } finally {
        await privileged.end();
      }
    }
  });

  test("the server process refuses to start as a superuser", async () => {
    const database = new URL(config.DATABASE_URL).pathname;
    const child = Bun.spawn(["bun", "src/main.ts"], {
      env: { ...process.env, PORT: "3049", DATABASE_URL: `postgres://postgres@127.0.0.1:5432${database}`, LOG_LEVEL: "silent" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const code = await child.exited;
    expect(code).toBe(1);
    expect(await new Response(child.stderr).text()).toContain("is a superuser");
  });
});

describe("API isolation", () => {
  test("each tenant's token sees only its own user and tenant", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    const meA = await call(target, "GET", "/api/users/me", { token: a.accessToken });
    const meB = await call(target, "GET", "/api/users/me", { token: b.accessToken });
    expect(meA.json.id).toBe(a.user.id);
    expect(meB.json.id).toBe(b.user.id);
    expect(meB.text).not.toContain(a.tenant.id);
  });

  test("an unknown or inactive tenant host answers 404 JSON", async () => {
    const a = await signupTenant(target);
    expect((await call(target, "GET", "/api/users/me", { host: `nobody-here.${target.deps.config.BASE_DOMAIN}`, token: a.accessToken })).status).toBe(404);
    await withTenant(a.tenant.id, (tx) => tx`update tenants set is_active = false where id = ${a.tenant.id}`);
    await target.deps.tenancy.invalidate(a.tenant);
    const inactive = await call(target, "GET", "/api/users/me", { host: a.host, token: a.accessToken });
    expect(inactive.status).toBe(404);
    expect(inactive.json.error.code).toBe("not_found");
  });
});
