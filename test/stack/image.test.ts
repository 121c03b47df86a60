// The Dockerfile and .dockerignore, read as text (no Docker here).
import { describe, expect, test } from "bun:test";
import { loadCompose, readRepoFile } from "./stack";

type Instruction = { keyword: string; args: string };

/** Instructions per stage, with line continuations joined and comments dropped. */
function stages(dockerfile: string) {
  const lines = dockerfile.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const result: { from: string; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(trimmed) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === "FROM") result.push({ from: args, instructions: [] });
    else result.at(-1)?.instructions.push(instruction);
  }
  return result;
}

const dockerfile = readRepoFile("Dockerfile");
const all = stages(dockerfile);
const runtime = all.at(-1)!;
const inRuntime = (keyword: string) => runtime.instructions.filter((i) => i.keyword === keyword);
const argDefault = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, "m").exec(dockerfile)?.[1];

describe("Dockerfile", () => {
  test("multi-stage on the official Bun image, pinned to the project's Bun", () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) expect(stage.from).toMatch(/^oven\/bun:\$\{BUN_VERSION\}(-slim|-alpine|-debian)?\b/);
    const pinned = JSON.parse(readRepoFile("package.json")).devDependencies["bun-types"];
    expect(argDefault("BUN_VERSION")).toBe(pinned);
  });

  test("production dependencies only, from the lockfile; assets built", () => {
    expect(dockerfile).toContain("bun install --frozen-lockfile --production");
    expect(dockerfile).toContain("bun run build");
    // The runtime's node_modules come from the production-only stage.
    const copies = inRuntime("COPY").map((i) => i.args);
    expect(copies).toContain("--from=deps /app/node_modules ./node_modules");
  });

  test("runs as a non-root user", () => {
    const users = inRuntime("USER").map((i) => i.args.split(":")[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)$/);
  });

  test("HEALTHCHECK probes /health (liveness), never /ready", () => {
    const [healthcheck] = inRuntime("HEALTHCHECK");
    expect(healthcheck).toBeDefined();
    expect(healthcheck!.args).toContain("/health");
    expect(healthcheck!.args).not.toContain("/ready");
  });

  test("exposes 3000 and starts `bun src/main.ts`", () => {
    expect(inRuntime("EXPOSE").map((i) => i.args)).toEqual(["3000"]);
    expect(inRuntime("CMD").at(-1)?.args).toBe('["bun", "src/main.ts"]');
  });

  test("pg_dump matches the compose postgres major version", () => {
    const postgres = loadCompose().services.postgres.image as string;
    const serverMajor = /^postgres:(\d+)/.exec(postgres)?.[1];
    expect(serverMajor).toBeDefined();
    expect(argDefault("PG_MAJOR")).toBe(serverMajor);
  });
});

describe(".dockerignore", () => {
  const ignored = readRepoFile(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));

  test("keeps local state, VCS data, secrets and test artifacts out of the build context", () => {
    for (const entry of ["node_modules", "data", ".git", ".env", "test", "test-artifacts", "bench"]) {
      expect(ignored).toContain(entry);
    }
  });
});
