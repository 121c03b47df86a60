// Small factories so tests read like stories: each test makes its own tenants.
import { afterAll } from "bun:test";
import { createApp, createDeps, type Deps } from "../src/app";
import { connectRedis } from "../src/platform/redis";
import { config as baseConfig, parseConfig, type Config } from "../src/config";

export const BASE = baseConfig.BASE_DOMAIN;

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({ ...process.env, ...overrides });
}

type TestApp = { deps: Deps; app: ReturnType<typeof createApp>; ready: Promise<void> };
const opened: Deps[] = [];

/** A fresh app with its own clients; closed after the file's tests. */
export function makeApp(overrides: Record<string, string> = {}, options: Parameters<typeof createDeps>[1] = {}): TestApp {
  const deps = createDeps(testConfig(overrides), options);
  opened.push(deps);
  return { deps, app: createApp(deps), ready: connectRedis(deps.redis) };
}

afterAll(async () => {
  await Promise.allSettled(opened.splice(0).flatMap((deps) => [deps.db.sql.end({ timeout: 1 }), deps.redis.quit()]));
});

export const unique = (prefix = "t") => `${prefix}${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;

/** A random client address, so per-IP limits do not couple unrelated tests. */
export const randomIp = () => `10.${rand()}.${rand()}.${rand()}`;
const rand = () => Math.floor(Math.random() * 250) + 1;

export type CallOptions = { host?: string; token?: string; body?: unknown; rawBody?: BodyInit; headers?: Record<string, string>; ip?: string };

export async function call(target: TestApp, method: string, path: string, options: CallOptions = {}) {
  await target.ready;
  const headers: Record<string, string> = { "x-forwarded-for": options.ip ?? randomIp(), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const host = options.host ?? `api.${BASE}`;
  headers.host ??= host;
  const response = await target.app.handle(new Request(`http://${host}${path}`, { method, headers, body }));
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export const PASSWORD = "correct horse battery staple";

export async function signupTenant(target: TestApp, overrides: Partial<Record<string, string>> = {}) {
  const subdomain = overrides.subdomain ?? unique("ag");
  const body = {
    agency_name: overrides.agency_name ?? `Agency ${subdomain}`,
    subdomain,
    email: overrides.email ?? `${unique("owner")}@example.test`,
    password: overrides.password ?? PASSWORD,
    first_name: "Olivia",
    last_name: "Owner",
  };
  const response = await call(target, "POST", "/api/auth/signup", { body, host: BASE });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${response.text}`);
  return {
    tenant: response.json.tenant,
    user: response.json.user,
    email: body.email,
    password: body.password,
    host: `${subdomain}.${BASE}`,
    accessToken: response.json.access_token as string,
    refreshToken: response.json.refresh_token as string,
  };
}

export type SignedUp = Awaited<ReturnType<typeof signupTenant>>;

export function expectErrorShape(json: any, code?: string) {
  if (!json?.error || typeof json.error.code !== "string" || typeof json.error.message !== "string" || typeof json.error.request_id !== "string") {
    throw new Error(`not the SPEC error shape: ${JSON.stringify(json)}`);
  }
  if (code && json.error.code !== code) throw new Error(`expected error ${code}, got ${json.error.code}`);
}
