// The Webhooks section of /settings and an endpoint's delivery log, against a
// real receiver on an ephemeral loopback port (allow-listed for this app).
import { afterAll, describe, expect, test } from "bun:test";
import { addMember, signIn, visit } from "../../../test/browser-session";
import { makeApp, signupTenant, unique } from "../../../test/helpers";

const target = makeApp({ WEBHOOK_ALLOWED_HOSTS: "127.0.0.1", WEBHOOK_RETRY_BASE_MS: "150" }, { webhooks: { pollMs: 20, queueKey: `webhooks:test:${unique()}` } });
const strict = makeApp({}, { webhooks: { pollMs: 20, queueKey: `webhooks:test:${unique()}` } });
const received: string[] = [];
const receiver = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: async (request) => (received.push(await request.text()), new Response("thanks", { status: 202 })) });
afterAll(() => {
  target.deps.webhookWorker.stop();
  receiver.stop(true);
});

const secretIn = (html: string) => /id="new-webhook-secret"[^>]*value="(whsec_[^"]+)"/.exec(html)?.[1];

async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await Bun.sleep(30);
  }
  throw new Error("timed out waiting");
}

describe("webhooks on /settings", () => {
  test("create shows the secret once; the delivery log lists attempts with response codes; resend and delete work", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const url = `http://127.0.0.1:${receiver.port}/hook`;
    const created = await visit(target, browser, "POST", "/settings/webhooks", { form: { _csrf: browser.csrf!, url, events: "client.created", description: "CRM sync" }, headers: { "hx-request": "true" } });
    expect(created.status).toBe(200);
    const secret = secretIn(created.text)!;
    expect(secret).toStartWith("whsec_");
    const settings = await visit(target, browser, "GET", "/settings");
    expect(settings.text).toContain(url);
    expect(settings.text).not.toContain(secret);
    const id = /data-webhook="([0-9a-f-]{36})"/.exec(settings.text)![1]!;

    target.deps.webhookWorker.start();
    const made = await visit(target, browser, "POST", "/clients", { form: { _csrf: browser.csrf!, name: "Acme", status: "lead" } });
    expect(made.status).toBeLessThan(400);
    const log = await until(async () => {
      const page = await visit(target, browser, "GET", `/settings/webhooks/${id}`);
      return page.text.includes("succeeded") && page;
    });
    expect(log.text).toContain("client.created");
    expect(log.text).toMatch(/Attempt <span>1<\/span>: <span class="font-mono">202<\/span>/);
    const deliveryId = /data-delivery="([0-9a-f-]{36})"/.exec(log.text)![1]!;
    const resent = await visit(target, browser, "POST", `/settings/webhooks/${id}/deliveries/${deliveryId}/resend`, { form: { _csrf: browser.csrf! } });
    expect(resent.status).toBe(303);
    await until(async () => received.length >= 2);
    expect(received[1]).toBe(received[0]!);

    const deleted = await visit(target, browser, "POST", `/settings/webhooks/${id}/delete`, { form: { _csrf: browser.csrf! }, headers: { "hx-request": "true" } });
    expect(deleted.text).toContain("Webhook endpoint deleted.");
    expect(deleted.text).not.toContain(url);
    expect((await visit(target, browser, "GET", `/settings/webhooks/${id}`)).status).toBe(404);
  });

  test("field errors: no events, a private target; members are refused; another tenant's endpoint is 404", async () => {
    const owner = await signupTenant(strict);
    const browser = await signIn(strict, owner);
    const noEvents = await visit(strict, browser, "POST", "/settings/webhooks", { form: { _csrf: browser.csrf!, url: "https://example.com/hook" } });
    expect(noEvents.status).toBe(422);
    expect(noEvents.text).toContain("choose at least one event");
    const loopback = await visit(strict, browser, "POST", "/settings/webhooks", { form: { _csrf: browser.csrf!, url: "http://127.0.0.1:9/hook", events: "client.created" } });
    expect(loopback.status).toBe(422);
    expect(loopback.text).toContain('id="field-url-error"');
    const member = await signIn(strict, await addMember(strict, owner, "member"));
    expect((await visit(strict, member, "POST", "/settings/webhooks", { form: { _csrf: member.csrf!, url: "https://example.com/x", events: "client.created" } })).status).toBe(403);
    const other = await signupTenant(target);
    const otherBrowser = await signIn(target, other);
    const theirs = await visit(target, otherBrowser, "POST", "/settings/webhooks", { form: { _csrf: otherBrowser.csrf!, url: `http://127.0.0.1:${receiver.port}/other`, events: "client.deleted" } });
    const theirId = /data-webhook="([0-9a-f-]{36})"/.exec(theirs.text)![1]!;
    const mine = await signIn(target, await signupTenant(target));
    expect((await visit(target, mine, "GET", `/settings/webhooks/${theirId}`)).status).toBe(404);
    expect((await visit(target, mine, "POST", `/settings/webhooks/${theirId}/delete`, { form: { _csrf: mine.csrf! } })).status).toBe(404);
  });
});
