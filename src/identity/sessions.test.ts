import { describe, expect, test } from "bun:test";
import { makeApp } from "../../test/helpers";
import { ABSOLUTE_SECONDS, createSessions, IDLE_SECONDS } from "./sessions";

const target = makeApp();
const user = () => ({ id: crypto.randomUUID(), tenant_id: crypto.randomUUID(), email: "a@example.test", role: "member" as const });
const client = { ip: "10.0.0.1", userAgent: "test" };

describe("sessions", () => {
  test("a cookie value is `id.secret` and only a hash of the secret is stored", async () => {
    await target.ready;
    const sessions = createSessions({ redis: target.deps.redis, scheme: "http" });
    const { token, session } = await sessions.create(user(), client);
    const [id, secret] = token.split(".");
    expect(id).toBe(session.id);
    const stored = await target.deps.redis.get(`session:${id}`);
    expect(stored).not.toContain(secret!);
    expect((await sessions.validate(token))?.id).toBe(id);
    expect(await sessions.validate(`${id}.${"x".repeat(43)}`)).toBeNull();
    expect(await sessions.validate("garbage")).toBeNull();
    expect(await sessions.validate(undefined)).toBeNull();
  });

  test("idle timeout slides with use; the absolute timeout does not", async () => {
    let now = Date.now();
    const sessions = createSessions({ redis: target.deps.redis, scheme: "http", now: () => now });
    const { token } = await sessions.create(user(), client);
    // Used every 20 minutes: alive past the 30-minute idle window…
    for (let step = 0; step < 3; step++) {
      now += 20 * 60_000;
      expect(await sessions.validate(token)).not.toBeNull();
    }
    // …but 31 idle minutes end it.
    now += (IDLE_SECONDS + 60) * 1000;
    expect(await sessions.validate(token)).toBeNull();

    let later = Date.now();
    const absolute = createSessions({ redis: target.deps.redis, scheme: "http", now: () => later });
    const second = await absolute.create(user(), client);
    // Keep it busy right up to the 12-hour limit (the Redis TTL is re-set on each use).
    later += (ABSOLUTE_SECONDS - 60) * 1000;
    const record = JSON.parse((await target.deps.redis.get(`session:${second.session.id}`))!);
    record.last_seen = later - 1000;
    await target.deps.redis.set(`session:${second.session.id}`, JSON.stringify(record), "EX", 600);
    expect(await absolute.validate(second.token)).not.toBeNull();
    later += 120_000;
    expect(await absolute.validate(second.token)).toBeNull();
  });

  test("a user's sessions can be listed, re-roled and ended together", async () => {
    const sessions = createSessions({ redis: target.deps.redis, scheme: "http" });
    const someone = user();
    const one = await sessions.create(someone, client);
    const two = await sessions.create(someone, client);
    expect((await sessions.list(someone.id)).map((session) => session.id).sort()).toEqual([one.session.id, two.session.id].sort());
    await sessions.updateRole(someone.id, "admin");
    expect((await sessions.validate(one.token))?.role).toBe("admin");
    expect(await sessions.endAllForUser(someone.id, one.session.id)).toBe(1);
    expect(await sessions.validate(two.token)).toBeNull();
    expect(await sessions.validate(one.token)).not.toBeNull();
  });

  test("the cookie is __Host-, Secure, HttpOnly, SameSite=Lax and host-only over HTTPS", () => {
    const https = createSessions({ redis: target.deps.redis, scheme: "https" }).cookie("abc.def");
    expect(https).toStartWith("__Host-aggios_session=abc.def;");
    expect(https).toContain("; Secure");
    expect(https).toContain("; HttpOnly");
    expect(https).toContain("; SameSite=Lax");
    expect(https).toContain("; Path=/");
    expect(https).not.toContain("Domain=");
    const http = createSessions({ redis: target.deps.redis, scheme: "http" }).cookie("abc.def");
    expect(http).toStartWith("aggios_session=abc.def;");
    expect(http).not.toContain("Secure");
  });
});
