import { describe, expect, test } from "bun:test";
import { ConfigError, parseConfig } from "./config";

const strong = "s".repeat(48);

describe("config", () => {
  test("development defaults need no environment at all", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ PORT: 3000, BASE_DOMAIN: "localhost", STORAGE_DRIVER: "disk", TRUST_PROXY: false, publicScheme: "http" });
    expect(config.DATABASE_BOOTSTRAP_URL).toStartWith("postgres://postgres@");
  });

  test("a bad value stops start-up with a message naming the variable", () => {
    expect(() => parseConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseConfig({ TRUST_PROXY: "yes" })).toThrow(/TRUST_PROXY/);
    expect(() => parseConfig({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
    expect(() => parseConfig({ CORS_ORIGINS: "https://ok.example, nope" })).toThrow(/CORS_ORIGINS/);
    expect(() => parseConfig({ STORAGE_DRIVER: "ftp" })).toThrow(ConfigError);
  });

  test("empty assignments fall back to defaults", () => {
    expect(parseConfig({ JWT_SECRET: "", PORT: "" }).PORT).toBe(3000);
  });

  test("production refuses default or short secrets", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow(/JWT_SECRET: must be set in production/);
    expect(() => parseConfig({ NODE_ENV: "production", JWT_SECRET: "short", SESSION_SECRET: strong })).toThrow(/JWT_SECRET: must be at least 32 bytes/);
    expect(() => parseConfig({ NODE_ENV: "production", JWT_SECRET: strong, SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET/);
    const config = parseConfig({ NODE_ENV: "production", JWT_SECRET: strong, SESSION_SECRET: strong });
    expect(config.publicScheme).toBe("https");
    expect(config.DATABASE_BOOTSTRAP_URL).toBeUndefined();
  });

  test("a JWT secret under 32 bytes is refused in every environment", () => {
    expect(() => parseConfig({ JWT_SECRET: "too-short" })).toThrow(/JWT_SECRET/);
  });

  test("the S3 driver requires its endpoint and keys", () => {
    expect(() => parseConfig({ STORAGE_DRIVER: "s3", S3_ACCESS_KEY: "k" })).toThrow(/S3_ENDPOINT/);
    expect(parseConfig({ STORAGE_DRIVER: "s3", S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY: "k", S3_SECRET_KEY: "s" }).STORAGE_DRIVER).toBe("s3");
  });

  test("the server exits with the variable's name on a bad value", async () => {
    const child = Bun.spawn(["bun", "src/main.ts"], { env: { ...process.env, PORT: "not-a-port" }, stderr: "pipe", stdout: "ignore" });
    expect(await child.exited).toBe(1);
    expect(await new Response(child.stderr).text()).toContain("PORT");
  });
});
