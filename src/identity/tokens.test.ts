// Access-token verification: every tampering variant is a 401.
import { describe, expect, test } from "bun:test";
import { call, makeApp, signupTenant } from "../../test/helpers";

const target = makeApp();
const secret = target.deps.config.JWT_SECRET;

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function forge(header: Record<string, unknown>, payload: Record<string, unknown>, key = secret, algorithm: "sha256" | "sha512" = "sha256") {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  const signature = new Bun.CryptoHasher(algorithm, key).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}

function claimsOf(token: string) {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
}

describe("access tokens", () => {
  test("a genuine token works and carries the seed's claims plus role", async () => {
    const owner = await signupTenant(target);
    const claims = claimsOf(owner.accessToken);
    expect(Object.keys(claims).sort()).toEqual(["email", "exp", "iat", "jti", "role", "tenant_id", "user_id"]);
    expect(claims.exp - claims.iat).toBe(900);
    const me = await call(target, "GET", "/api/users/me", { token: owner.accessToken });
    expect(me.status).toBe(200);
  });

  test("tampered, foreign-algorithm, unsigned, expired or incomplete tokens are 401", async () => {
    const owner = await signupTenant(target);
    const claims = claimsOf(owner.accessToken);
    const now = Math.floor(Date.now() / 1000);
    const [header, payload, signature] = owner.accessToken.split(".");
    const variants: Record<string, string> = {
      "alg none": `${b64({ alg: "none", typ: "JWT" })}.${payload}.`,
      "alg none, no signature part": `${b64({ alg: "none", typ: "JWT" })}.${payload}`,
      HS512: forge({ alg: "HS512", typ: "JWT" }, claims, secret, "sha512"),
      "RS256 header": `${b64({ alg: "RS256", typ: "JWT" })}.${payload}.${signature}`,
      "wrong secret": forge({ alg: "HS256", typ: "JWT" }, claims, "another-secret-that-is-long-enough-0123456789"),
      "tampered payload": `${header}.${b64({ ...claims, role: "owner", tenant_id: crypto.randomUUID() })}.${signature}`,
      expired: forge({ alg: "HS256", typ: "JWT" }, { ...claims, iat: now - 2000, exp: now - 1000 }),
      "missing jti": forge({ alg: "HS256", typ: "JWT" }, { ...claims, jti: undefined }),
      "missing exp": forge({ alg: "HS256", typ: "JWT" }, { ...claims, exp: undefined }),
      "non-uuid user": forge({ alg: "HS256", typ: "JWT" }, { ...claims, user_id: "1 or 1=1" }),
      garbage: "not-a-token",
    };
    for (const [name, token] of Object.entries(variants)) {
      const response = await call(target, "GET", "/api/users/me", { token });
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect(response.json.error.code).toBe("unauthenticated");
    }
  });

  test("a correctly signed token for a user id that does not exist is 401", async () => {
    const owner = await signupTenant(target);
    const claims = claimsOf(owner.accessToken);
    const token = forge({ alg: "HS256", typ: "JWT" }, { ...claims, user_id: crypto.randomUUID(), jti: crypto.randomUUID() });
    expect((await call(target, "GET", "/api/users/me", { token })).status).toBe(401);
  });

  test("a token of tenant A is refused on tenant B's host and accepted on A's", async () => {
    const a = await signupTenant(target);
    const b = await signupTenant(target);
    expect((await call(target, "GET", "/api/users/me", { host: a.host, token: a.accessToken })).status).toBe(200);
    const crossed = await call(target, "GET", "/api/users/me", { host: b.host, token: a.accessToken });
    expect(crossed.status).toBe(401);
    expect(crossed.text).not.toContain(a.user.id);
  });

  test("missing or malformed Authorization headers are 401 with WWW-Authenticate", async () => {
    for (const authorization of [undefined, "Basic abc", "Bearer", "Bearer a b", `Bearer ${"x".repeat(5000)}`]) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const response = await call(target, "GET", "/api/users/me", { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
  });
});
