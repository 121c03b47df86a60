// Development convenience: with the local superuser, create the roles and the
// database so a newcomer needs no manual SQL. Never used in production.
import postgres from "postgres";

type Role = { name: string; password: string; bypassRls: boolean };

function roleFrom(url: string, bypassRls: boolean): Role {
  const parsed = new URL(url);
  return { name: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password), bypassRls };
}

export async function bootstrapDatabase(options: { superuserUrl: string; appUrl: string; ownerUrl: string; log: (line: string) => void }) {
  const admin = postgres(options.superuserUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    const owner = roleFrom(options.ownerUrl, true);
    const app = roleFrom(options.appUrl, false);
    for (const role of [owner, app]) await ensureRole(admin, role, options.log);
    const database = new URL(options.appUrl).pathname.slice(1);
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!exists) {
      await admin.unsafe(`create database ${quoteIdent(database)} owner ${quoteIdent(owner.name)}`);
      options.log(`created database ${database}`);
    }
  } finally {
    await admin.end();
  }
}

async function ensureRole(admin: postgres.Sql, role: Role, log: (line: string) => void) {
  const [exists] = await admin`select 1 from pg_roles where rolname = ${role.name}`;
  if (exists) return;
  const password = `'${role.password.replaceAll("'", "''")}'`;
  // DDL takes no bind parameters; names and passwords come from our own config.
  await admin.unsafe(`create role ${quoteIdent(role.name)} login password ${password} ${role.bypassRls ? "bypassrls" : "nobypassrls"} nosuperuser`);
  log(`created role ${role.name}`);
}

function quoteIdent(name: string) {
  return `"${name.replaceAll('"', '""')}"`;
}
