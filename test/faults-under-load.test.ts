// Faults during a bounded load loop on loopback, against a real server process
// with its own PostgreSQL cluster, Redis and S3 server (ports 4700–4749), so
// stopping them disturbs nothing else. The process must never crash, requests
// must fail fast with 503 and recover by themselves, and no acknowledged write
// may be lost.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parseConfig } from "../src/config";
import { prepareDatabase } from "../src/platform/prepare";
import { clusterAvailable, startCluster, type Cluster } from "./pg-cluster";
import { startApp, type AppProcess } from "./processes";
import { startS3, type S3Fixture } from "./s3";

const PG_PORT = 4701;
const REDIS_PORT = 4702;
const S3_PORT = 4703;
const APP_PORT = 4704;
const HOST = "localhost";

let cluster: Cluster;
let s3: S3Fixture;
let redis: ReturnType<typeof Bun.spawn> | undefined;
let app: AppProcess;

function startRedis() {
  redis = Bun.spawn(["redis-server", "--port", String(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdout: "ignore", stderr: "ignore" });
}

async function stopRedis() {
  redis?.kill("SIGKILL");
  await redis?.exited;
}

const env = {
  DATABASE_URL: `postgres://aggios_app:aggios_app@127.0.0.1:${PG_PORT}/aggios`,
  MIGRATION_DATABASE_URL: `postgres://aggios_owner:aggios_owner@127.0.0.1:${PG_PORT}/aggios`,
  DATABASE_BOOTSTRAP_URL: `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`,
  REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}/0`,
  LOG_LEVEL: "silent",
  TRUST_PROXY: "false",
};

type Outcome = { status: number; id?: string; ms: number };

async function request(method: string, path: string, token?: string, body?: unknown): Promise<Outcome & { json?: any }> {
  const started = performance.now();
  try {
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers: { host: HOST, "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const json = await response.json().catch(() => undefined);
    return { status: response.status, json, id: json?.id, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started }; // connection refused or timed out
  }
}

/** Writes clients in a loop until `stop` resolves; returns every outcome. */
async function writeLoop(token: string, stop: Promise<void>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let done = false;
  void stop.then(() => (done = true));
  for (let n = 0; !done && n < 2_000; n++) {
    const outcome = await request("POST", "/api/clients", token, { name: `Load ${n}`, status: "active" });
    outcomes.push(outcome);
    // Paced under the per-credential API limit (600/min): a 429 is not a fault.
    await Bun.sleep(50);
  }
  return outcomes;
}

async function untilHealthy(token: string, deadlineMs = 20_000) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if ((await request("GET", "/api/clients?limit=1", token)).status === 200) return true;
    await Bun.sleep(200);
  }
  return false;
}

describe.skipIf(!clusterAvailable)("faults under load", () => {
  let token = "";

  beforeAll(async () => {
    cluster = startCluster({ port: PG_PORT, tcp: true });
    startRedis();
    s3 = await startS3(S3_PORT);
    await prepareDatabase(parseConfig({ ...env, NODE_ENV: "test" }), () => {});
    app = await startApp(APP_PORT, { ...env, ...s3.env, S3_BUCKET: "faults" });
    const signup = await request("POST", "/api/auth/signup", undefined, {
      agency_name: "Faults",
      subdomain: "faults",
      email: "faults@example.test",
      password: "correct horse battery staple",
      first_name: "F",
      last_name: "L",
    });
    expect(signup.status).toBe(201);
    token = signup.json.access_token;
  }, 90_000);

  afterAll(async () => {
    await app?.stop("SIGKILL");
    await stopRedis();
    await s3?.close();
    cluster?.remove();
  });

  async function survive(fault: () => Promise<void>, heal: () => Promise<void>) {
    let finish!: () => void;
    const stop = new Promise<void>((resolve) => (finish = resolve));
    const loop = writeLoop(token, stop);
    await Bun.sleep(300);
    await fault();
    await Bun.sleep(1_500);
    await heal();
    const recovered = await untilHealthy(token);
    await Bun.sleep(300);
    finish();
    const outcomes = await loop;
    return { outcomes, recovered };
  }

  async function assertNoAcknowledgedWriteLost(outcomes: Outcome[]) {
    const acknowledged = outcomes.filter((outcome) => outcome.status === 201).map((outcome) => outcome.id!);
    for (const id of acknowledged) {
      expect((await request("GET", `/api/clients/${id}`, token)).status).toBe(200);
    }
    return acknowledged.length;
  }

  function assertFailedFast(outcomes: Outcome[]) {
    const statuses = new Set(outcomes.map((outcome) => outcome.status));
    // Only successes and 503s: no 500, no dropped connection (the process is alive).
    expect([...statuses].filter((status) => status !== 201 && status !== 503)).toEqual([]);
    for (const outcome of outcomes.filter((entry) => entry.status === 503)) expect(outcome.ms).toBeLessThan(6_000);
    expect(app.child.exitCode).toBeNull();
  }

  test("Redis stopped and restarted", async () => {
    const { outcomes, recovered } = await survive(stopRedis, async () => startRedis());
    expect(recovered).toBe(true);
    assertFailedFast(outcomes);
    expect(outcomes.some((outcome) => outcome.status === 503)).toBe(true);
    expect(await assertNoAcknowledgedWriteLost(outcomes)).toBeGreaterThan(0);
  }, 60_000);

  test("PostgreSQL restarted", async () => {
    const { outcomes, recovered } = await survive(
      async () => cluster.stop("immediate"),
      async () => cluster.start(),
    );
    expect(recovered).toBe(true);
    assertFailedFast(outcomes);
    expect(outcomes.some((outcome) => outcome.status === 503)).toBe(true);
    expect(await assertNoAcknowledgedWriteLost(outcomes)).toBeGreaterThan(0);
  }, 60_000);

  test("S3 server stopped: uploads answer 503, other requests go on, uploads recover", async () => {
    const upload = async () => {
      const form = new FormData();
      form.append("file", new Blob([crypto.getRandomValues(new Uint8Array(64 * 1024))]), "load.bin");
      const started = performance.now();
      const response = await fetch(`${app.url}/api/documents`, { method: "POST", headers: { host: HOST, authorization: `Bearer ${token}` }, body: form });
      return { status: response.status, id: ((await response.json()) as { id?: string }).id, ms: performance.now() - started };
    };
    expect((await upload()).status).toBe(201);
    await s3.stop();
    const during = await upload();
    expect(during.status).toBe(503);
    expect(during.ms).toBeLessThan(10_000);
    expect((await request("GET", "/api/clients?limit=1", token)).status).toBe(200);
    await s3.start();
    let after = { status: 0 } as Awaited<ReturnType<typeof upload>>;
    for (let attempt = 0; attempt < 20 && after.status !== 201; attempt++) {
      after = await upload();
      if (after.status !== 201) await Bun.sleep(250);
    }
    expect(after.status).toBe(201);
    expect((await request("GET", `/api/documents/${after.id}`, token)).status).toBe(200);
    expect(app.child.exitCode).toBeNull();
  }, 60_000);
});
