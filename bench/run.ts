// `bun run bench`: every scenario of issue #8 in one run, peers and Aggios back
// to back on one machine over loopback, then bench/RESULTS.md.
//
// Env: BENCH_SECONDS (20) per measured run after BENCH_WARMUP (5) seconds of
// warm-up; BENCH_CONNECTIONS (64); BENCH_S8_SIZES (10000,1000000,10000000);
// BENCH_ONLY (comma list of scenario ids, e.g. "S2,S2r,S3") for quick looks —
// a partial run prints its table but does not rewrite RESULTS.md.
// BENCH_REUSE=1 skips re-seeding; BENCH_KEEP_DATA=1 keeps the rows afterwards
// (by default they are truncated: 10⁷ clients take ~7 GB).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../src/config";
import { BENCH_ENV, benchConfig, HOT_TENANTS, openDataset, PASSWORD, type BenchUser, type Dataset } from "./dataset";
import { collectMachine, writeResults, type Row } from "./report";
import { OUT, ROOT, startServer, stopAll, type Running } from "./servers";
import { makeUploadFile, removeUploadFile, uploadDirect, uploadThroughApp } from "./upload";
import { assertWrkInstalled, rssMb, runLoad, type Load, type LoadResult } from "./wrk";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const MAIN_ROWS = 1_000_000; // 1,000 tenants × 1,000 clients
const S8_SIZES = (process.env.BENCH_S8_SIZES ?? "10000,1000000,10000000").split(",").map(Number).filter((n) => n > 0).sort((a, b) => a - b);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",")) : null;
const UPLOAD_MB = 100;
const PORTS = { aggios: 4800, s1: 4810, s2: 4811, s2rls: 4812, fastify: 4820, s3: 4830 };

const wanted = (id: string) => !ONLY || ONLY.has(id);
const log = (line: string) => console.log(`[bench] ${line}`);

assertWrkInstalled();
if (!Bun.which("node")) throw new Error("node (v20+) is needed for the Fastify peer");
mkdirSync(OUT, { recursive: true });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stopAll().then(() => process.exit(130)));

try {
  const commands: string[] = [];
  async function sh(command: string[], cwd = ROOT) {
    commands.push(command.join(" "));
    const child = Bun.spawn(command, { cwd, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    if (code !== 0) throw new Error(`${command.join(" ")} failed: ${err}`);
    return out;
  }

  const machine = await collectMachine();
  log(`load average at start: ${machine.loadStart}`);
  log("installing the peers (npm ci in bench/peers)");
  await sh(["npm", "ci", "--no-audit", "--no-fund", "--silent"], join(ROOT, "bench", "peers"));

  const config = benchConfig();
  log("preparing aggios_bench (migrations) and seeding");
  const dataset = await openDataset(config);
  // BENCH_REUSE=1 keeps the seeded rows of the previous run (quick looks only).
  if (process.env.BENCH_REUSE !== "1") await dataset.reset();

  const rows: Row[] = [];
  const extra: Record<string, unknown> = { seconds: SECONDS, warmup: WARMUP, connections: CONNECTIONS, s8Sizes: S8_SIZES };

  /** Request lines for requests.lua: tab-separated headers and an optional body. */
  function requestFile(name: string, lines: string[]): string {
    const path = join(OUT, `${name}.requests`);
    writeFileSync(path, lines.join("\n") + "\n");
    return path;
  }

  /** A list endpoint must answer a full page before it is timed: an empty page is cheap and wrong. */
  async function assertFullPage(server: Running, path: string, requests: string) {
    const first = (await Bun.file(requests).text()).split("\n")[0]!;
    const headers = Object.fromEntries(first.split("\t").map((field) => field.split(/:\s*/, 2) as [string, string]));
    const response = await fetch(`${server.origin}${path}`, { headers });
    const body = (await response.json().catch(() => null)) as { data?: unknown[] } | null;
    if (response.status !== 200 || body?.data?.length !== 20) throw new Error(`${server.name} ${path}: ${response.status}, ${body?.data?.length} rows instead of 20`);
  }

  async function measure(id: string, label: string, server: Running, load: Omit<Load, "url" | "seconds">, seconds = SECONDS): Promise<LoadResult> {
    if (load.path.startsWith("/api/clients?") && load.requests) await assertFullPage(server, load.path, load.requests);
    if (WARMUP > 0) await runLoad({ ...load, url: server.origin, seconds: WARMUP }, server.pid);
    const result = await runLoad({ ...load, url: server.origin, seconds }, server.pid);
    commands.push(`wrk -t${load.threads ?? 1} -c${load.connections} -d${seconds}s -s bench/wrk/requests.lua ${server.origin}${load.path}  # ${id}`);
    log(`${id} ${label}: ${result.rps} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, RSS ${result.rssPeakMb} MB, errors ${result.errors}, non-2xx ${result.non2xx}`);
    rows.push({ id, label, ...result });
    return result;
  }

  const s3 = await startServer({ name: "s3rver", command: ["bun", "bench/s3-server.ts"], port: PORTS.s3, env: {}, readyPath: "/" });
  const aggiosEnv = {
    ...BENCH_ENV,
    STORAGE_DRIVER: "s3",
    S3_ENDPOINT: `http://127.0.0.1:${PORTS.s3}`,
    S3_ACCESS_KEY: "S3RVER",
    S3_SECRET_KEY: "S3RVER",
    S3_BUCKET: "aggios",
    MAX_UPLOAD_MB: "150",
  };
  const aggios = await startServer({ name: "aggios", command: ["bun", "src/main.ts"], port: PORTS.aggios, env: aggiosEnv, readyPath: "/ready" });
  await Bun.sleep(2_000);
  extra.startupMs = aggios.readyMs;
  extra.idleRssMb = Math.round(await rssMb(aggios.pid));
  log(`Aggios ready in ${aggios.readyMs} ms (spawn → /ready 200); idle RSS ${extra.idleRssMb} MB`);

  const bearerLines = async (users: BenchUser[]) => (await dataset.bearerTokens(users)).map((token) => `Host: api.localhost\tAuthorization: Bearer ${token}`);
  const s3Load = (requests: string, connections = CONNECTIONS) => ({ path: "/api/clients?limit=20", requests, connections });

  const s8: { rows: number; p50Ms: number; p99Ms: number; rps: number }[] = [];
  async function growth(size: number) {
    await dataset.growTo(size, log);
    const hot = await dataset.users({ tenants: HOT_TENANTS, members: true });
    const requests = requestFile(`s8-${size}`, await bearerLines(hot));
    const result = await measure(`S8@${size.toExponential(0)}`, `S3 at ${size.toLocaleString("en")} client rows (c=8)`, aggios, s3Load(requests, 8));
    s8.push({ rows: await dataset.clientCount(), p50Ms: result.p50Ms, p99Ms: result.p99Ms, rps: result.rps });
  }

  if (wanted("S8")) for (const size of S8_SIZES.filter((n) => n <= MAIN_ROWS)) await growth(size);
  await dataset.growTo(MAIN_ROWS, log);
  extra.mainRows = await dataset.clientCount();

  const owners = await dataset.users({ tenants: MAIN_ROWS / 1_000 });
  const tenantLines = requestFile("tenants", owners.map((user) => `X-Tenant-Id: ${user.tenantId}`));
  const ownerBearer = requestFile("bearer", await bearerLines(owners));

  if (wanted("S1")) {
    const server = await startServer({ name: "s1-bun-constant", command: ["bun", "bench/ceilings/bun-constant.ts"], port: PORTS.s1, env: {}, readyPath: "/" });
    await measure("S1", "ceiling: Bun.serve constant", server, { path: "/", connections: CONNECTIONS });
    await server.stop();
  }
  if (wanted("S2") || wanted("S2r")) {
    for (const [id, rls, port] of [["S2", "0", PORTS.s2], ["S2r", "1", PORTS.s2rls]] as const) {
      if (!wanted(id)) continue;
      const url = rls === "1" ? BENCH_ENV.DATABASE_URL! : BENCH_ENV.MIGRATION_DATABASE_URL!;
      const server = await startServer({ name: `${id.toLowerCase()}-bun-postgres`, command: ["bun", "bench/ceilings/bun-postgres.ts"], port, env: { DATABASE_URL: url, BENCH_RLS: rls } });
      const label = rls === "1" ? "Bun.serve + postgres.js, same query in withTenant (RLS)" : "ceiling: Bun.serve + postgres.js, same query, no RLS";
      await measure(id, label, server, { path: "/api/clients?limit=20", requests: tenantLines, connections: CONNECTIONS });
      await server.stop();
    }
  }
  if (wanted("peer")) {
    const server = await startServer({
      name: "peer-fastify",
      command: ["node", "bench/peers/fastify/server.js"],
      port: PORTS.fastify,
      env: { DATABASE_URL: BENCH_ENV.DATABASE_URL!, JWT_SECRET: BENCH_ENV.JWT_SECRET!, NODE_ENV: "production" },
    });
    await measure("peer", "Fastify 5 + pg + @fastify/jwt (Node 20), S3's endpoint", server, s3Load(ownerBearer));
    await server.stop();
  }
  if (wanted("S3")) await measure("S3", "Aggios GET /api/clients?limit=20 (bearer JWT)", aggios, s3Load(ownerBearer));

  if (wanted("S4")) {
    const cookies = await dataset.sessionCookies(owners);
    const lines = owners.map((user, index) => `Host: ${user.subdomain}.localhost\tCookie: ${dataset.sessionCookieName}=${cookies[index]}`);
    const probe = await fetch(`${aggios.origin}/clients`, { headers: { host: `${owners[0]!.subdomain}.localhost`, cookie: `${dataset.sessionCookieName}=${cookies[0]}` }, redirect: "manual" });
    if (probe.status === 200 && (probe.headers.get("content-type") ?? "").includes("text/html")) {
      await measure("S4", "Aggios GET /clients (session cookie, HTML)", aggios, { path: "/clients", requests: requestFile("s4", lines), connections: CONNECTIONS });
    } else {
      log(`S4 skipped: GET /clients answered ${probe.status} ${probe.headers.get("content-type")}`);
      extra.s4Skipped = `GET /clients answered ${probe.status}`;
    }
  }
  if (wanted("S5")) {
    const body = JSON.stringify({ name: "Bench write", email: "write@bench.example", company: "Bench", tags: ["bench"] });
    const lines = (await bearerLines(owners)).map((line) => `${line}\tContent-Type: application/json\tbody=${body}`);
    await measure("S5", "Aggios POST /api/clients (+ audit row)", aggios, { method: "POST", path: "/api/clients", requests: requestFile("s5", lines), connections: CONNECTIONS });
    await dataset.removeWrites();
  }
  if (wanted("S6")) {
    const lines = owners.map((user) => `Host: api.localhost\tContent-Type: application/json\tbody=${JSON.stringify({ email: user.email, password: PASSWORD })}`);
    await measure("S6", "Aggios POST /api/auth/login (argon2id)", aggios, { method: "POST", path: "/api/auth/login", requests: requestFile("s6", lines), connections: CONNECTIONS, spreadIp: true, timeoutSeconds: 30 });
  }
  if (wanted("S7")) {
    const file = await makeUploadFile(UPLOAD_MB);
    const s3Config = parseConfig({ ...aggiosEnv, PATH: process.env.PATH });
    const [token] = await dataset.bearerTokens(owners.slice(0, 1));
    const app: Awaited<ReturnType<typeof uploadThroughApp>>[] = [];
    const direct: Awaited<ReturnType<typeof uploadDirect>>[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      app.push(await uploadThroughApp({ origin: aggios.origin, pid: aggios.pid, token: token!, file, megabytes: UPLOAD_MB }));
      direct.push(await uploadDirect({ config: s3Config, file, megabytes: UPLOAD_MB }));
    }
    await removeUploadFile(file);
    const median = <T>(list: T[], key: (item: T) => number) => [...list].sort((a, b) => key(a) - key(b))[Math.floor(list.length / 2)]!;
    extra.s7 = { app: median(app, (r) => r.mbPerSecond), direct: median(direct, (r) => r.mbPerSecond), maxGrowthMb: Math.max(...app.map((r) => r.rssGrowthMb)), all: { app, direct } };
    log(`S7: app ${JSON.stringify(extra.s7)}`);
  }

  if (wanted("S8")) {
    const larger = S8_SIZES.filter((n) => n > MAIN_ROWS);
    for (const size of larger) await growth(size);
  }
  extra.s8 = s8;

  await aggios.stop();
  await s3.stop();
  if (process.env.BENCH_KEEP_DATA !== "1" && !ONLY) await dataset.reset();
  await dataset.close();
  machine.loadEnd = (await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ");
  writeFileSync(join(OUT, "results.json"), JSON.stringify({ machine, rows, extra }, null, 2));
  await writeResults({ machine, rows, extra, commands, partial: ONLY !== null });
  log(ONLY ? "partial run: bench/out/results.json written, RESULTS.md untouched" : "wrote bench/RESULTS.md");
  process.exit(0);
} catch (error) {
  console.error(error);
  await stopAll();
  process.exit(1);
}
