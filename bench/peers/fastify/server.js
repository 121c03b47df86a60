// The peer: GET /api/clients as a team would build it on Node without Aggios —
// Fastify 5, @fastify/jwt (HS256), node-postgres, Fastify's own pino logger and
// JSON-schema validation. Same query, same JSON, and an equivalent tenant check:
// the tenant comes from the verified token and the query runs in a transaction
// that sets `app.tenant_id` for RLS as the non-owner app role, while still
// filtering `tenant_id`. It does NOT do what Aggios also does on this route
// (revocation check and per-credential rate limit in Redis, Prometheus metrics).
import jwt from "@fastify/jwt";
import Fastify from "fastify";
import pg from "pg";

const { PORT = "4820", DATABASE_URL, JWT_SECRET, DATABASE_POOL_MAX = "10" } = process.env;
if (!DATABASE_URL || !JWT_SECRET) throw new Error("DATABASE_URL and JWT_SECRET are required");

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: Number(DATABASE_POOL_MAX) });
const app = Fastify({ logger: { level: "info" } });
app.register(jwt, { secret: JWT_SECRET, verify: { algorithms: ["HS256"] } });

const LIST_CLIENTS = `
  select id, tenant_id, name, email, phone, company, status, notes, tags, created_at, updated_at,
    to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
  from clients
  where tenant_id = $1
  order by created_at desc, id desc
  limit $2`;

async function withTenant(tenantId, work) {
  const client = await pool.connect();
  try {
    await client.query("begin read only");
    await client.query("select set_config('app.tenant_id', $1, true)", [tenantId]);
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

const present = (row) => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  company: row.company,
  status: row.status,
  notes: row.notes,
  tags: row.tags,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

app.get(
  "/api/clients",
  {
    schema: { querystring: { type: "object", properties: { limit: { type: "integer", minimum: 1, maximum: 100, default: 20 } }, additionalProperties: false } },
    onRequest: async (request) => request.jwtVerify(),
  },
  async (request) => {
    const { tenant_id: tenantId } = request.user;
    const limit = request.query.limit;
    const { rows } = await withTenant(tenantId, (client) => client.query({ name: "list-clients", text: LIST_CLIENTS, values: [tenantId, limit + 1] }));
    const data = rows.slice(0, limit);
    const last = data.at(-1);
    const nextCursor = rows.length > limit && last ? Buffer.from(JSON.stringify([last.cursor_at, last.id])).toString("base64url") : null;
    return { data: data.map(present), next_cursor: nextCursor };
  },
);

app.get("/health", async () => ({ status: "ok" }));

await app.listen({ port: Number(PORT), host: "127.0.0.1" });
process.on("SIGTERM", () => app.close().then(() => pool.end()).then(() => process.exit(0)));
