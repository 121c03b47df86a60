// Dependencies failing: requests fail fast with 503 and recover by themselves.
import { afterAll, describe, expect, test } from "bun:test";
import { call, makeApp, signupTenant, testConfig } from "./helpers";

const REDIS_PORT = 4790;
let redisProcess: ReturnType<typeof Bun.spawn> | undefined;

async function startRedis() {
  redisProcess = Bun.spawn(["redis-server", "--port", String(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdout: "ignore", stderr: "ignore" });
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = Bun.spawnSync(["redis-cli", "-p", String(REDIS_PORT), "ping"]);
    if (probe.stdout.toString().trim() === "PONG") return;
    await Bun.sleep(100);
  }
  throw new Error("redis-server did not start");
}

async function stopRedis() {
  redisProcess?.kill("SIGKILL");
  await redisProcess?.exited;
}

afterAll(stopRedis);

async function timed<T>(work: Promise<T>) {
  const started = performance.now();
  const result = await work;
  return { result, ms: performance.now() - started };
}

describe("Redis goes away", () => {
  test("requests answer 503 within seconds, and service resumes when Redis is back", async () => {
    await startRedis();
    const target = makeApp({ REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}/0` });
    const owner = await signupTenant(target);
    expect((await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status).toBe(200);

    await stopRedis();
    const down = await timed(call(target, "GET", "/api/users/me", { token: owner.accessToken }));
    expect(down.result.status).toBe(503);
    expect(down.result.json.error.code).toBe("service_unavailable");
    expect(down.ms).toBeLessThan(5_000);
    const ready = await call(target, "GET", "/ready");
    expect(ready.status).toBe(503);
    expect(ready.json.error.details).toMatchObject({ redis: "down", database: "ok" });
    expect((await call(target, "GET", "/health")).status).toBe(200);

    await startRedis();
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      await Bun.sleep(250);
      status = (await call(target, "GET", "/api/users/me", { token: owner.accessToken })).status;
    }
    expect(status).toBe(200);
  }, 30_000);
});

describe("PostgreSQL unreachable", () => {
  test("database-backed requests answer 503 fast and /ready names the database", async () => {
    const dead = testConfig().DATABASE_URL.replace(":5432/", ":4791/");
    const target = makeApp({ DATABASE_URL: dead });
    const login = await timed(call(target, "POST", "/api/auth/login", { body: { email: "someone@example.test", password: "whatever-password" } }));
    expect(login.result.status).toBe(503);
    expect(login.ms).toBeLessThan(8_000);
    const ready = await call(target, "GET", "/ready");
    expect(ready.status).toBe(503);
    expect(ready.json.error.message).toContain("database");
  }, 30_000);
});
