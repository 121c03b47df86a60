// The migration runner against a throw-away database of its own.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { createPool } from "./db";
import { migrate, MigrationError } from "./migrations";

const database = `aggios_migrations_${crypto.randomUUID().slice(0, 8)}`;
const admin = postgres("postgres://postgres@127.0.0.1:5432/postgres", { max: 1, onnotice: () => {} });
const url = `postgres://postgres@127.0.0.1:5432/${database}`;
let dir: string;
const pools: postgres.Sql[] = [];
const pool = () => {
  const sql = createPool(url, 2);
  pools.push(sql);
  return sql;
};

beforeAll(async () => {
  await admin.unsafe(`create database ${database}`);
  dir = await mkdtemp(join(tmpdir(), "aggios-migrations-"));
});

afterAll(async () => {
  await Promise.all(pools.map((sql) => sql.end()));
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
});

describe("migrate", () => {
  test("applies files in order once, recording sha256 checksums", async () => {
    await writeFile(join(dir, "0001_first.sql"), "create table first (id int primary key);");
    await writeFile(join(dir, "0002_second.sql"), "create table second (id int references first (id)); insert into first values (1);");
    const sql = pool();
    expect(await migrate(sql, dir)).toEqual(["0001_first.sql", "0002_second.sql"]);
    expect(await migrate(sql, dir)).toEqual([]);
    const rows = await sql`select version, name, checksum from schema_migrations order by version`;
    expect(rows.map((row) => row.name)).toEqual(["0001_first.sql", "0002_second.sql"]);
    expect(rows[0]!.checksum).toBe(new Bun.CryptoHasher("sha256").update("create table first (id int primary key);").digest("hex"));
  });

  test("several runners at once apply each file exactly once", async () => {
    await writeFile(join(dir, "0003_counted.sql"), "create table counted (n int); insert into counted values (1);");
    const results = await Promise.all(Array.from({ length: 5 }, () => migrate(pool(), dir)));
    expect(results.flat()).toEqual(["0003_counted.sql"]);
    const [row] = await pool()`select count(*)::int as count from counted`;
    expect(row!.count).toBe(1);
  });

  test("a failing file is rolled back whole and not recorded", async () => {
    await writeFile(join(dir, "0004_broken.sql"), "create table half (id int); select * from no_such_table;");
    await expect(migrate(pool(), dir)).rejects.toMatchObject({ code: "42P01" });
    const [row] = await pool()`select to_regclass('half') as half, exists (select 1 from schema_migrations where version = 4) as recorded`;
    expect(row).toEqual({ half: null, recorded: false });
    await rm(join(dir, "0004_broken.sql"));
  });

  test("an edited applied file is an error", async () => {
    await writeFile(join(dir, "0001_first.sql"), "create table first (id bigint primary key);");
    await expect(migrate(pool(), dir)).rejects.toBeInstanceOf(MigrationError);
    await expect(migrate(pool(), dir)).rejects.toThrow("0001_first.sql was edited");
    await writeFile(join(dir, "0001_first.sql"), "create table first (id int primary key);");
  });

  test("a badly named file is refused", async () => {
    await writeFile(join(dir, "5_oops.sql"), "select 1;");
    await expect(migrate(pool(), dir)).rejects.toThrow("NNNN_lower_snake.sql");
    await rm(join(dir, "5_oops.sql"));
  });
});
