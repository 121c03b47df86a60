// Runs the PostgreSQL client tools (pg_dump, pg_restore) against a URL.
import postgres from "postgres";

export class BackupError extends Error {}

/**
 * The URL without its password, and an environment carrying it as PGPASSWORD:
 * a password on the command line is readable by every local user in `ps`.
 */
function libpq(url: string) {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  // Children need PATH and friends; the one addition is the password.
  const env: Record<string, string | undefined> = { ...process.env, PGCONNECT_TIMEOUT: "10" };
  if (password) env.PGPASSWORD = password;
  return { dbname: parsed.toString(), env };
}

/** Runs a client tool with `--dbname=<url>` appended; returns its stdout or throws with its stderr. */
export async function pgTool(args: string[], url?: string): Promise<string> {
  const connection = url ? libpq(url) : { dbname: undefined, env: process.env };
  const command = connection.dbname ? [...args, `--dbname=${connection.dbname}`] : args;
  const child = Bun.spawn(command, { env: connection.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new BackupError(`${args[0]} exited with ${code}: ${stderr.trim().split("\n").slice(-5).join(" | ")}`);
  return stdout;
}

export async function withConnection<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Every ordinary table outside the system schemas, as `schema.name`. */
export function listTables(sql: postgres.Sql): Promise<string[]> {
  return sql<{ name: string }[]>`
    select n.nspname || '.' || c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)'
    order by 1`.then((rows) => rows.map((row) => row.name));
}

/** Counts relations and functions outside the system schemas: 0 for a fresh `createdb`. */
export async function countUserObjects(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)')
         + (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname not in ('pg_catalog', 'information_schema')) as count`;
  return Number(row!.count);
}

/** Tables whose data `pg_restore --list` does not show in the dump. */
export async function tablesMissingFromDump(file: string, tables: string[]): Promise<string[]> {
  const listing = await pgTool(["pg_restore", "--list", file]);
  // e.g. `3412; 0 16420 TABLE DATA public tenants aggios_owner`
  const dumped = new Set([...listing.matchAll(/^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) /gm)].map((match) => `${match[1]}.${match[2]}`));
  return tables.filter((table) => !dumped.has(table));
}
