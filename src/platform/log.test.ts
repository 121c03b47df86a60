// Secrets never reach the log: the main logger redacts them by path, and the
// per-request line (logged without redaction) carries no header, body or query value.
import { describe, expect, test } from "bun:test";
import { call, makeApp, signupTenant } from "../../test/helpers";
import { createLogger } from "./log";

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe("logs", () => {
  test("the logger redacts passwords, tokens, Authorization and cookies by path", () => {
    const { lines, destination } = capture();
    createLogger("info", destination).info({ password: "p4ss", token: "t0ken", user: { refresh_token: "r3fresh", authorization: "Bearer abc", cookie: "s=1" } }, "attempt");
    const text = lines.join("");
    for (const secret of ["p4ss", "t0ken", "r3fresh", "Bearer abc", "s=1"]) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });

  test("request lines name the route pattern, never the credentials or query values of the request", async () => {
    const { lines, destination } = capture();
    const target = makeApp({}, { log: createLogger("info", destination) });
    const owner = await signupTenant(target);
    const login = await call(target, "POST", "/api/auth/login", { host: owner.host, body: { email: owner.email, password: owner.password } });
    expect(login.status).toBe(200);
    await call(target, "GET", "/api/clients?limit=5&q=query-secret", { host: owner.host, token: owner.accessToken, headers: { cookie: "aggios_session=cookie-secret" } });
    await call(target, "GET", "/reset-password?token=reset-secret", { host: owner.host });
    await Bun.sleep(50); // after-response hooks run once the response is out
    const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.route !== undefined);
    expect(requests.map((entry) => entry.route)).toEqual(expect.arrayContaining(["/api/auth/login", "/api/clients/", "/reset-password"]));
    const text = lines.join("");
    for (const secret of [owner.password, owner.accessToken, owner.refreshToken, login.json.access_token, login.json.refresh_token, "query-secret", "cookie-secret", "reset-secret"]) {
      expect(text).not.toContain(secret);
    }
  });
});
