// Two app processes behind a real round-robin load balancer: nothing a
// request needs may live in one process. Ports 4450–4499 belong to this file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PASSWORD, randomIp, unique } from "./helpers";
import { startApp, startNginx, type AppProcess } from "./processes";

const BASE = "localhost";
const METRICS_TOKEN = "scale-out-metrics-token-0123456789";
let first: AppProcess;
let second: AppProcess;
let balancer: Awaited<ReturnType<typeof startNginx>>;

beforeAll(async () => {
  [first, second] = await Promise.all([startApp(4451, { METRICS_TOKEN }), startApp(4452, { METRICS_TOKEN })]);
  balancer = await startNginx(4450, [4451, 4452]);
}, 60_000);

afterAll(async () => {
  await balancer?.stop();
  await Promise.all([first?.stop(), second?.stop()]);
});

type Options = { host?: string; token?: string; body?: unknown; ip?: string };

async function http(base: string, method: string, path: string, options: Options = {}) {
  const headers: Record<string, string> = { host: options.host ?? `api.${BASE}`, "x-forwarded-for": options.ip ?? randomIp() };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function signup(base: string) {
  const subdomain = unique("so");
  const body = { agency_name: `Agency ${subdomain}`, subdomain, email: `${unique("o")}@example.test`, password: PASSWORD, first_name: "Sam", last_name: "Scale" };
  const response = await http(base, "POST", "/api/auth/signup", { body, host: BASE });
  expect(response.status).toBe(201);
  return { email: body.email, host: `${subdomain}.${BASE}`, accessToken: response.json.access_token as string, refreshToken: response.json.refresh_token as string };
}

async function loginsServed(process: AppProcess): Promise<number> {
  const text = await fetch(`${process.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((response) => response.text());
  return text
    .split("\n")
    .filter((line) => line.startsWith("aggios_http_requests_total{") && line.includes('route="/api/auth/login"'))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
}

describe("two processes behind a load balancer", () => {
  test("a token made through one process works through the other", async () => {
    const agency = await signup(first.url);
    const me = await http(second.url, "GET", "/api/users/me", { token: agency.accessToken });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe(agency.email);
    // And a refresh through the second rotates the token the first issued.
    const refreshed = await http(second.url, "POST", "/api/auth/refresh", { body: { refresh_token: agency.refreshToken } });
    expect(refreshed.status).toBe(200);
    const reused = await http(first.url, "POST", "/api/auth/refresh", { body: { refresh_token: agency.refreshToken } });
    expect(reused.status).toBe(401);
  });

  test("logout through one process is honoured by the other", async () => {
    const agency = await signup(balancer.url);
    expect((await http(second.url, "GET", "/api/users/me", { token: agency.accessToken })).status).toBe(200);
    const logout = await http(first.url, "POST", "/api/auth/logout", { token: agency.accessToken, body: { refresh_token: agency.refreshToken } });
    expect(logout.status).toBe(204);
    expect((await http(second.url, "GET", "/api/users/me", { token: agency.accessToken })).status).toBe(401);
    expect((await http(second.url, "POST", "/api/auth/refresh", { body: { refresh_token: agency.refreshToken } })).status).toBe(401);
  });

  test("a rate limit counts requests served by both processes", async () => {
    const ip = randomIp();
    const statuses: number[] = [];
    // Login per IP allows 30 attempts per 5 minutes; round robin sends about
    // 15 to each process, so per-process counting would never say 429.
    for (let attempt = 0; attempt < 32; attempt++) {
      const response = await http(balancer.url, "POST", "/api/auth/login", { ip, body: { email: `${unique("nobody")}@example.test`, password: "wrong password 123" } });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // Both processes really served a share (their own /metrics say so).
    for (const process of [first, second]) expect(await loginsServed(process)).toBeGreaterThanOrEqual(10);
  }, 30_000);

  test("SIGTERM to one process during load: no request fails, and it exits 0", async () => {
    const agency = await signup(balancer.url);
    const victim = await startApp(4453);
    const lb = await startNginx(4460, [4453, 4452]);
    try {
      const statuses: number[] = [];
      let sent = 0;
      const TOTAL = 400;
      async function worker() {
        while (sent < TOTAL) {
          sent++;
          const response = await http(lb.url, "GET", "/api/users/me", { token: agency.accessToken });
          statuses.push(response.status);
        }
      }
      const load = Promise.all(Array.from({ length: 8 }, worker));
      while (sent < 100) await Bun.sleep(5);
      const exited = victim.stop("SIGTERM");
      await load;
      expect(await exited).toBe(0);
      expect(statuses).toHaveLength(TOTAL);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    } finally {
      await lb.stop();
      await victim.stop();
    }
  }, 60_000);

  test("SIGTERM waits for a request still in flight", async () => {
    const victim = await startApp(4454);
    try {
      // A login whose body arrives slowly: in flight when the signal lands.
      let push!: (chunk: string) => void;
      let finish!: () => void;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (chunk) => controller.enqueue(new TextEncoder().encode(chunk));
          finish = () => controller.close();
        },
      });
      const pending = fetch(`${victim.url}/api/auth/login`, {
        method: "POST",
        headers: { host: `api.${BASE}`, "content-type": "application/json", "x-forwarded-for": randomIp() },
        body,
        duplex: "half",
      } as RequestInit);
      push(`{"email": "${unique("late")}@example.test", `);
      await Bun.sleep(200);
      const exited = victim.stop("SIGTERM");
      await Bun.sleep(300);
      expect(victim.child.exitCode).toBeNull(); // still draining
      push(`"password": "wrong password 123"}`);
      finish();
      const response = await pending;
      expect(response.status).toBe(401);
      expect(await exited).toBe(0);
      // And it no longer accepts connections.
      expect(await fetch(`${victim.url}/health`).then(() => "answered", () => "refused")).toBe("refused");
    } finally {
      await victim.stop();
    }
  }, 30_000);
});
