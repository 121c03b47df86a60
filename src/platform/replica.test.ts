// DATABASE_REPLICA_URL: list endpoints read through `withTenantRead`, which
// is the replica pool when one is configured and is READ ONLY either way.
import { describe, expect, test } from "bun:test";
import { call, makeApp, signupTenant } from "../../test/helpers";

describe("read replica", () => {
  test("list endpoints read from DATABASE_REPLICA_URL; everything else from the primary", async () => {
    // A replica nobody listens on: whatever depends on it fails with 503, visibly.
    const target = makeApp({ DATABASE_REPLICA_URL: "postgres://aggios_app:aggios_app@127.0.0.1:1/aggios_test" });
    const owner = await signupTenant(target);
    expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(200);
    const list = await call(target, "GET", "/api/clients", { token: owner.accessToken });
    expect(list.status).toBe(503);
    expect(list.json.error.code).toBe("service_unavailable");
  });

  test("withTenantRead refuses writes even on the primary", async () => {
    const target = makeApp();
    const owner = await signupTenant(target);
    const attempt = target.deps.db.withTenantRead(owner.tenant.id, (tx) => tx`update tenants set name = 'changed' where id = ${owner.tenant.id}`);
    await expect(attempt).rejects.toMatchObject({ code: "25006" }); // read_only_sql_transaction
    const read = await target.deps.db.withTenantRead(owner.tenant.id, (tx) => tx`select name from tenants where id = ${owner.tenant.id}`);
    expect(read[0]!.name).toBe(owner.tenant.name);
  });
});
