// The bench's own database (aggios_bench) and Redis index (/8), migrated like
// the test database, and seeded with set-based SQL as the schema owner.
//
// Shape: tenant number n (subdomain `bench000001`…) owns 1,000 clients, so a
// table of N client rows has N/1,000 tenants. The first HOT_TENANTS tenants
// also get MEMBERS_PER_HOT_TENANT members: S8 measures them at every size, and
// spreading the load over many users keeps the per-credential API rate limit
// (600/min) from answering 429.
import Redis from "ioredis";
import postgres from "postgres";
import { parseConfig, type Config } from "../src/config";
import { createAccessTokens } from "../src/identity/tokens";
import { createSessions } from "../src/identity/sessions";
import { createPool } from "../src/platform/db";
import { prepareDatabase } from "../src/platform/prepare";

export const CLIENTS_PER_TENANT = 1_000;
export const HOT_TENANTS = 10;
export const MEMBERS_PER_HOT_TENANT = 100;
export const PASSWORD = "bench password 0123456789";

export const BENCH_ENV: Record<string, string> = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://aggios_app:aggios_app@127.0.0.1:5432/aggios_bench",
  MIGRATION_DATABASE_URL: "postgres://aggios_owner:aggios_owner@127.0.0.1:5432/aggios_bench",
  DATABASE_BOOTSTRAP_URL: process.env.BENCH_BOOTSTRAP_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  REDIS_URL: "redis://127.0.0.1:6379/8",
  JWT_SECRET: "bench-jwt-secret-0123456789abcdef-0123456789abcdef",
  SESSION_SECRET: "bench-session-secret-0123456789abcdef-0123456789",
  BASE_DOMAIN: "localhost",
  TRUST_PROXY: "true",
  LOG_LEVEL: "info",
  METRICS_TOKEN: "bench-metrics-token-0123456789abcdef",
};

export type BenchUser = { userId: string; tenantId: string; email: string; role: "owner" | "member"; subdomain: string };

export function benchConfig(): Config {
  return parseConfig({ ...BENCH_ENV, PATH: process.env.PATH });
}

export async function openDataset(config: Config) {
  await prepareDatabase(config, () => {});
  const owner = createPool(config.MIGRATION_DATABASE_URL, 2);
  // Seeding statements run for minutes at 10⁷ rows; the pool's 10 s limit is for requests.
  await owner`select 1`;
  const redis = new Redis(config.REDIS_URL, { lazyConnect: false });
  const passwordHash = await Bun.password.hash(PASSWORD, { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 });

  async function unbounded<T>(work: (tx: postgres.TransactionSql) => Promise<T>) {
    return owner.begin(async (tx) => {
      await tx`set local statement_timeout = 0`;
      return work(tx);
    }) as Promise<T>;
  }

  /** Empties every tenant table (they all cascade from tenants) and the bench's Redis index. */
  async function reset() {
    await unbounded((tx) => tx`truncate tenants cascade`);
    await redis.flushdb();
  }

  async function clientCount(): Promise<number> {
    const [row] = await owner<{ count: number }[]>`select count(*)::int as count from clients`;
    return row!.count;
  }

  async function tenantCount(): Promise<number> {
    const [row] = await owner<{ count: number }[]>`select count(*)::int as count from tenants`;
    return row!.count;
  }

  /** Adds tenants (each with its owner and 1,000 clients) until `clients` holds `rows` rows. */
  async function growTo(rows: number, log: (line: string) => void) {
    const target = Math.ceil(rows / CLIENTS_PER_TENANT);
    const BATCH = 100;
    for (let have = await tenantCount(); have < target; ) {
      const to = Math.min(target, have + BATCH);
      await unbounded(async (tx) => {
        await tx`
          insert into tenants (name, subdomain, created_at)
          select 'Bench agency ' || g, 'bench' || lpad(g::text, 6, '0'), now() - make_interval(days => g)
          from generate_series(${have + 1}::int, ${to}::int) g`;
        await tx`
          insert into users (email, password_hash, first_name, last_name, tenant_id, role)
          select 'owner@' || t.subdomain || '.bench.test', ${passwordHash}, 'Bench', 'Owner', t.id, 'owner'
          from tenants t where t.subdomain > ${subdomain(have)} and t.subdomain <= ${subdomain(to)}`;
        await tx`
          insert into users (email, password_hash, first_name, last_name, tenant_id, role)
          select 'member' || m || '@' || t.subdomain || '.bench.test', ${passwordHash}, 'Bench', 'Member ' || m, t.id, 'member'
          from tenants t cross join generate_series(1, ${MEMBERS_PER_HOT_TENANT}::int) m
          where t.subdomain > ${subdomain(have)} and t.subdomain <= ${subdomain(Math.min(to, HOT_TENANTS))}`;
        await tx`
          insert into clients (tenant_id, name, email, phone, company, status, notes, tags, created_at, updated_at)
          select t.id, 'Client ' || g, 'client' || g || '@' || t.subdomain || '.example', '+1 555 ' || lpad(g::text, 4, '0'),
            'Company ' || (g % 97), (array['lead', 'active', 'inactive'])[1 + g % 3], '', array['bench'],
            now() - make_interval(mins => g), now() - make_interval(mins => g)
          from tenants t cross join generate_series(1, ${CLIENTS_PER_TENANT}::int) g
          where t.subdomain > ${subdomain(have)} and t.subdomain <= ${subdomain(to)}`;
      });
      have = to;
      log(`  seeded ${have} tenants, ${have * CLIENTS_PER_TENANT} clients`);
    }
    await owner.unsafe("vacuum analyze tenants, users, clients");
  }

  /** Users to spread load over: owners of the first `tenants` tenants, plus hot members when asked. */
  async function users(options: { tenants: number; members?: boolean }): Promise<BenchUser[]> {
    return owner<BenchUser[]>`
      select u.id as "userId", u.tenant_id as "tenantId", u.email, u.role, t.subdomain
      from users u join tenants t on t.id = u.tenant_id
      where t.subdomain <= ${subdomain(options.tenants)} and (u.role = 'owner' or ${options.members ?? false})
      order by t.subdomain, u.email`;
  }

  const accessTokens = createAccessTokens({ secret: config.JWT_SECRET, ttlSeconds: 4 * 3600, sql: owner, withTenant: null as never, redis });
  const sessions = createSessions({ redis, scheme: config.publicScheme });

  async function bearerTokens(list: BenchUser[]) {
    return Promise.all(list.map((user) => accessTokens.sign({ id: user.userId, email: user.email, tenant_id: user.tenantId, role: user.role })));
  }

  async function sessionCookies(list: BenchUser[]) {
    return Promise.all(
      list.map(async (user) => (await sessions.create({ id: user.userId, tenant_id: user.tenantId, email: user.email, role: user.role }, { ip: "127.0.0.1", userAgent: "wrk" })).token),
    );
  }

  /** Deletes what the write scenario created, so later sizes stay exact. */
  async function removeWrites() {
    await unbounded(async (tx) => {
      await tx`delete from clients where name = 'Bench write'`;
      await tx`delete from audit_log where action = 'clients.create'`;
    });
  }

  async function close() {
    await owner.end();
    redis.disconnect();
  }

  return { owner, redis, reset, growTo, clientCount, users, bearerTokens, sessionCookies, sessionCookieName: sessions.cookieName, removeWrites, close };
}

export type Dataset = Awaited<ReturnType<typeof openDataset>>;

function subdomain(n: number) {
  return `bench${String(n).padStart(6, "0")}`;
}
