// S2: the ceiling with data — raw Bun.serve + postgres.js running S3's query and
// rendering S3's JSON, no framework. BENCH_RLS=0: as the schema owner (BYPASSRLS),
// no transaction. BENCH_RLS=1: as the app role through the app's own withTenant
// (src/platform/db.ts), so the difference is exactly the cost of the RLS scope.
import { presentClient } from "../../src/features/clients/present";
import { listClients } from "../../src/features/clients/queries";
import { createPool, tenantScope } from "../../src/platform/db";
import { toPage } from "../../src/platform/pagination";

const rls = process.env.BENCH_RLS === "1";
const sql = createPool(process.env.DATABASE_URL!, Number(process.env.DATABASE_POOL_MAX ?? 10));
const withTenant = tenantScope(sql, "read only");
const input = { limit: 20 };

const server = Bun.serve({
  port: Number(process.env.PORT ?? 4811),
  hostname: "127.0.0.1",
  async fetch(request) {
    if (request.url.endsWith("/health")) return new Response("ok");
    const tenantId = request.headers.get("x-tenant-id") ?? "";
    // listClients only needs a tagged template; outside RLS the pool itself serves.
    const rows = rls
      ? await withTenant(tenantId, (tx) => listClients(tx, tenantId, input))
      : await listClients(sql as never, tenantId, input);
    const page = toPage(rows, input.limit);
    return Response.json({ data: page.data.map(presentClient), next_cursor: page.nextCursor });
  },
});
console.log(`listening on ${server.port}`);
process.on("SIGTERM", () => process.exit(0));
