// Webhooks against a real HTTP receiver on loopback (ports 4600–4649), which
// the test config allow-lists; the default config must refuse the same target.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, makeApp, signupTenant, unique, type SignedUp } from "../../../test/helpers";
import type { WebhookEventType } from "./schema";

const LOOPBACK = { WEBHOOK_ALLOWED_HOSTS: "127.0.0.1", WEBHOOK_RETRY_BASE_MS: "150", WEBHOOK_TIMEOUT_MS: "2000" };
const fast = { pollMs: 20 };
const target = makeApp(LOOPBACK, { webhooks: { ...fast, queueKey: `webhooks:test:${unique()}` } });
const strict = makeApp({}, { webhooks: { ...fast, queueKey: `webhooks:test:${unique()}` } });

type Received = { headers: Headers; body: string; at: number };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A receiver answering `statusFor(n)` to its n-th request (1-based). */
function startReceiver(port: number, statusFor: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const server = Bun.serve({
    port,
    hostname: "127.0.0.1",
    async fetch(request) {
      received.push({ headers: request.headers, body: await request.text(), at: Date.now() });
      return new Response("ok", { status: statusFor(received.length) });
    },
  });
  cleanups.push(() => server.stop(true));
  return received;
}

async function until<T>(check: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value) return value;
    await Bun.sleep(20);
  }
  throw new Error("timed out waiting");
}

async function register(app: typeof target, owner: SignedUp, url: string, events: WebhookEventType[] = ["client.created"]) {
  const response = await call(app, "POST", "/api/webhooks", { token: owner.accessToken, body: { url, events } });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
  cleanups.push(() => call(app, "DELETE", `/api/webhooks/${response.json.id}`, { token: owner.accessToken }));
  return response.json as { id: string; secret: string };
}

function emit(app: typeof target, tenantId: string, type: WebhookEventType, object: Record<string, unknown>) {
  return app.deps.db.withTenant(tenantId, (tx) => app.deps.webhooks.emit(tx, tenantId, type, object));
}

function runWorker(app: typeof target) {
  app.deps.webhookWorker.start();
  cleanups.push(() => app.deps.webhookWorker.stop());
}

/** The verification snippet from docs/webhooks.md, exactly as an integrator would paste it. */
async function documentedVerifier(): Promise<(secret: string, header: string, body: string) => boolean> {
  const guide = await Bun.file(join(import.meta.dir, "../../../docs/webhooks.md")).text();
  const snippet = /```js\n([\s\S]*?)```/.exec(guide)?.[1];
  if (!snippet) throw new Error("docs/webhooks.md has no js snippet");
  const file = join(await mkdtemp(join(tmpdir(), "aggios-verify-")), "verify.mjs");
  await writeFile(file, snippet);
  return (await import(file)).verifyAggiosSignature;
}

describe("webhook endpoints", () => {
  test("are registered by admins, show the secret once and keep it sealed at rest", async () => {
    const owner = await signupTenant(target);
    const created = await call(target, "POST", "/api/webhooks", {
      token: owner.accessToken,
      body: { url: "http://127.0.0.1:4609/hooks", events: ["client.created", "document.uploaded", "client.created"], description: "CRM" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ url: "http://127.0.0.1:4609/hooks", events: ["client.created", "document.uploaded"], description: "CRM" });
    expect(created.json.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await call(target, "GET", "/api/webhooks", { token: owner.accessToken });
    expect(list.json.data).toHaveLength(1);
    expect(list.text).not.toContain(created.json.secret);
    const [row] = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select secret_ciphertext from webhook_endpoints where id = ${created.json.id}`);
    expect(Buffer.from(row!.secret_ciphertext).toString("latin1")).not.toContain(created.json.secret.slice(6, 20));
    const audit = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select action from audit_log where tenant_id = ${owner.tenant.id} and action like 'webhooks.%'`);
    expect(audit.map((entry) => entry.action)).toEqual(["webhooks.create"]);
    expect((await call(target, "DELETE", `/api/webhooks/${created.json.id}`, { token: owner.accessToken })).status).toBe(204);
    expect((await call(target, "GET", `/api/webhooks/${created.json.id}`, { token: owner.accessToken })).status).toBe(404);
  });

  test("private, loopback and link-local targets are refused by default (422)", async () => {
    const owner = await signupTenant(strict);
    for (const url of ["http://127.0.0.1:4610/", "http://localhost:4610/", "http://[::1]:4610/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://[::ffff:127.0.0.1]/"]) {
      const response = await call(strict, "POST", "/api/webhooks", { token: owner.accessToken, body: { url, events: ["client.created"] } });
      expect([url, response.status]).toEqual([url, 422]);
      expect(response.json.error.details[0].field).toBe("url");
    }
    const bad = await call(strict, "POST", "/api/webhooks", { token: owner.accessToken, body: { url: "http://example.com/", events: ["nope"] } });
    expect(bad.status).toBe(422);
  });

  test("members, member keys and other tenants cannot see or touch them", async () => {
    const owner = await signupTenant(target);
    const other = await signupTenant(target);
    const endpoint = await register(target, owner, "http://127.0.0.1:4611/");
    const memberKey = await call(target, "POST", "/api/api-keys", { token: owner.accessToken, body: { name: "m", role: "member" } });
    expect((await call(target, "GET", "/api/webhooks", { token: memberKey.json.key })).status).toBe(403);
    expect((await call(target, "GET", `/api/webhooks/${endpoint.id}`, { token: other.accessToken })).status).toBe(404);
    expect((await call(target, "GET", `/api/webhooks/${endpoint.id}/deliveries`, { token: other.accessToken })).status).toBe(404);
    expect((await call(target, "DELETE", `/api/webhooks/${endpoint.id}`, { token: other.accessToken })).status).toBe(404);
  });
});

describe("webhook delivery", () => {
  test("POSTs the event, signed so that the documented snippet verifies it", async () => {
    const received = startReceiver(4600);
    const owner = await signupTenant(target);
    const endpoint = await register(target, owner, "http://127.0.0.1:4600/aggios", ["client.created", "client.deleted"]);
    runWorker(target);
    await emit(target, owner.tenant.id, "client.created", { id: "c-1", name: "Acme" });
    await emit(target, owner.tenant.id, "client.updated", { id: "c-1", name: "Not subscribed" });
    const [request] = await until(() => received.length > 0 && received);
    const event = JSON.parse(request!.body);
    expect(event).toMatchObject({ type: "client.created", tenant_id: owner.tenant.id, data: { id: "c-1", name: "Acme" } });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event.created_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(request!.headers.get("aggios-event")).toBe("client.created");
    expect(request!.headers.get("content-type")).toBe("application/json");

    const verify = await documentedVerifier();
    const signature = request!.headers.get("aggios-signature")!;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(endpoint.secret, signature, request!.body)).toBe(true);
    expect(verify(endpoint.secret, signature, request!.body.replace("Acme", "Acme!"))).toBe(false);
    expect(verify(`${endpoint.secret}x`, signature, request!.body)).toBe(false);
    const stale = signature.replace(/t=\d+/, `t=${Math.floor(Date.now() / 1000) - 3600}`);
    expect(verify(endpoint.secret, stale, request!.body)).toBe(false);

    await Bun.sleep(100); // the worker records the attempt after the receiver answered
    const after = await call(target, "GET", `/api/webhooks/${endpoint.id}/deliveries`, { token: owner.accessToken });
    expect(after.status).toBe(200);
    expect(after.json.data).toHaveLength(1);
    expect(after.json.data[0]).toMatchObject({ event_type: "client.created", status: "succeeded", attempts: 1, last_status_code: 200 });
    expect(after.json.data[0].attempt_log[0]).toMatchObject({ attempt: 1, status_code: 200, error: null });
    expect(received).toHaveLength(1);
  });

  test("retries with exponential back-off while the receiver answers 500", async () => {
    const received = startReceiver(4601, (n) => (n <= 3 ? 500 : 200));
    const owner = await signupTenant(target);
    const endpoint = await register(target, owner, "http://127.0.0.1:4601/");
    runWorker(target);
    await emit(target, owner.tenant.id, "client.created", { id: "c-2" });
    await until(() => received.length >= 4 && received, 10_000);
    const gaps = received.slice(1).map((request, index) => request.at - received[index]!.at);
    // base 150 ms, doubling, ±20 % jitter: ~150, ~300, ~600 ms
    expect(gaps[0]!).toBeGreaterThanOrEqual(110);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    const ids = new Set(received.map((request) => JSON.parse(request.body).id));
    expect(ids.size).toBe(1); // one event, retried
    await Bun.sleep(100);
    const log = await call(target, "GET", `/api/webhooks/${endpoint.id}/deliveries`, { token: owner.accessToken });
    expect(log.json.data[0].status).toBe("succeeded");
    expect(log.json.data[0].attempt_log.map((attempt: { status_code: number }) => attempt.status_code)).toEqual([500, 500, 500, 200]);
  });

  test("a restart of the app in the middle does not lose the delivery", async () => {
    let healthy = false;
    const received = startReceiver(4602, () => (healthy ? 200 : 500));
    const queueKey = `webhooks:test:${unique()}`;
    const before = makeApp(LOOPBACK, { webhooks: { ...fast, queueKey } });
    const owner = await signupTenant(before);
    await register(before, owner, "http://127.0.0.1:4602/");
    before.deps.webhookWorker.start();
    await emit(before, owner.tenant.id, "client.created", { id: "c-3" });
    await until(() => received.length >= 1);
    await before.deps.webhookWorker.stop(); // the process goes away …
    await before.deps.redis.del(queueKey); // … and even the Redis schedule is lost
    healthy = true;
    const after = makeApp(LOOPBACK, { webhooks: { ...fast, queueKey } });
    runWorker(after); // a new process: its recovery pass finds the delivery in Postgres
    await until(() => received.length >= 2, 10_000);
    expect(JSON.parse(received[1]!.body).data.id).toBe("c-3");
  });

  test("a change that rolls back sends nothing", async () => {
    const received = startReceiver(4603);
    const owner = await signupTenant(target);
    await register(target, owner, "http://127.0.0.1:4603/");
    runWorker(target);
    const failed = target.deps.db.withTenant(owner.tenant.id, async (tx) => {
      await target.deps.webhooks.emit(tx, owner.tenant.id, "client.created", { id: "never" });
      throw new Error("the change failed");
    });
    await expect(failed).rejects.toThrow("the change failed");
    await Bun.sleep(600);
    expect(received).toHaveLength(0);
  });

  test("with the default config a loopback target is refused at delivery time too", async () => {
    const received = startReceiver(4604);
    const owner = await signupTenant(target);
    const endpoint = await register(target, owner, "http://127.0.0.1:4604/");
    await emit(strict, owner.tenant.id, "client.created", { id: "c-4" });
    await Bun.sleep(400);
    await strict.deps.webhookWorker.tick();
    const log = await call(target, "GET", `/api/webhooks/${endpoint.id}/deliveries`, { token: owner.accessToken });
    expect(log.json.data[0].attempt_log[0].error).toContain("refused");
    expect(log.json.data[0].attempt_log[0].status_code).toBeNull();
    expect(received).toHaveLength(0);
  });

  test("resend delivers the same event again as a new delivery", async () => {
    const received = startReceiver(4605);
    const owner = await signupTenant(target);
    const endpoint = await register(target, owner, "http://127.0.0.1:4605/");
    runWorker(target);
    await emit(target, owner.tenant.id, "client.created", { id: "c-5" });
    await until(() => received.length >= 1);
    await Bun.sleep(100);
    const [first] = (await call(target, "GET", `/api/webhooks/${endpoint.id}/deliveries`, { token: owner.accessToken })).json.data;
    const resent = await call(target, "POST", `/api/webhooks/${endpoint.id}/deliveries/${first.id}/resend`, { token: owner.accessToken });
    expect(resent.status).toBe(202);
    expect(resent.json).toMatchObject({ event_id: first.event_id, status: "pending", attempts: 0 });
    expect(resent.json.id).not.toBe(first.id);
    await until(() => received.length >= 2);
    expect(received[1]!.body).toBe(received[0]!.body);
    const unknown = await call(target, "POST", `/api/webhooks/${endpoint.id}/deliveries/${crypto.randomUUID()}/resend`, { token: owner.accessToken });
    expect(unknown.status).toBe(404);
  });

  test("a slow receiver times out and an oversized answer is cut off", async () => {
    const app = makeApp({ ...LOOPBACK, WEBHOOK_TIMEOUT_MS: "300" }, { webhooks: { ...fast, queueKey: `webhooks:test:${unique()}` } });
    const server = Bun.serve({
      port: 4606,
      hostname: "127.0.0.1",
      async fetch(request) {
        const body = await request.text();
        if (body.includes("slow")) await Bun.sleep(1500);
        return new Response("x".repeat(5 * 1024 * 1024));
      },
    });
    cleanups.push(() => server.stop(true));
    const owner = await signupTenant(app);
    const endpoint = await register(app, owner, "http://127.0.0.1:4606/");
    await emit(app, owner.tenant.id, "client.created", { id: "slow" });
    await emit(app, owner.tenant.id, "client.created", { id: "big" });
    await Bun.sleep(400);
    await app.deps.webhookWorker.tick();
    const log = await call(app, "GET", `/api/webhooks/${endpoint.id}/deliveries`, { token: owner.accessToken });
    const attempts = log.json.data.map((delivery: { attempt_log: { error: string | null; status_code: number | null }[] }) => delivery.attempt_log[0]);
    expect(attempts.some((attempt: { error: string | null }) => attempt.error?.includes("timed out"))).toBe(true);
    expect(attempts.some((attempt: { status_code: number | null }) => attempt.status_code === 200)).toBe(true);
    const [excerpt] = await app.deps.db.withTenant(owner.tenant.id, (tx) =>
      tx`select max(length(response_excerpt)) as length from webhook_attempts where tenant_id = ${owner.tenant.id}`);
    expect(excerpt!.length).toBeLessThanOrEqual(500);
  });

  test("an integration syncing clients with an API key receives their events, attributed to the key", async () => {
    const received = startReceiver(4607);
    const owner = await signupTenant(target);
    const key = await call(target, "POST", "/api/api-keys", { token: owner.accessToken, body: { name: "CRM", role: "admin" } });
    const endpoint = await call(target, "POST", "/api/webhooks", {
      token: key.json.key,
      body: { url: "http://127.0.0.1:4607/", events: ["client.created", "client.updated", "client.deleted"] },
    });
    expect(endpoint.status).toBe(201);
    cleanups.push(() => call(target, "DELETE", `/api/webhooks/${endpoint.json.id}`, { token: owner.accessToken }));
    runWorker(target);
    const headers = { "idempotency-key": unique("sync") };
    const created = await call(target, "POST", "/api/clients", { token: key.json.key, headers, body: { name: "Acme Ltd" } });
    expect(created.status).toBe(201);
    const replay = await call(target, "POST", "/api/clients", { token: key.json.key, headers, body: { name: "Acme Ltd" } });
    expect(replay.json.id).toBe(created.json.id);
    await call(target, "PATCH", `/api/clients/${created.json.id}`, { token: key.json.key, body: { status: "active" } });
    await call(target, "DELETE", `/api/clients/${created.json.id}`, { token: key.json.key });
    await until(() => received.length >= 3 && received);
    const events = received.map((request) => JSON.parse(request.body)).sort((a, b) => a.created_at.localeCompare(b.created_at));
    expect(events.map((event) => event.type).sort()).toEqual(["client.created", "client.deleted", "client.updated"]);
    expect(events.find((event) => event.type === "client.created").data).toMatchObject({ id: created.json.id, name: "Acme Ltd" });
    expect(events.find((event) => event.type === "client.updated").data).toMatchObject({ status: "active" });
    const audit = await target.deps.db.withTenant(owner.tenant.id, (tx) =>
      tx`select distinct actor_type, actor_id from audit_log where tenant_id = ${owner.tenant.id} and action like 'clients.%'`);
    expect([...audit]).toEqual([{ actor_type: "api_key", actor_id: key.json.id }]);
  });
});
