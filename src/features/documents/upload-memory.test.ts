// A 100 MB upload through a real server: memory stays flat because the body is
// streamed to storage, never buffered (Elysia's body parsing is off for the route).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE, PASSWORD, unique } from "../../../test/helpers";
import { startServer, type RunningServer } from "../../../test/server";

const MB = 1024 * 1024;
const FILE = join(tmpdir(), `aggios-100mb-${process.pid}.bin`);
let server: RunningServer;
let expectedSha = "";

beforeAll(async () => {
  server = await startServer(3151, { MAX_UPLOAD_MB: "150" });
  const writer = Bun.file(FILE).writer();
  const hash = new Bun.CryptoHasher("sha256");
  const chunk = new Uint8Array(MB);
  for (let index = 0; index < 100; index++) {
    crypto.getRandomValues(chunk.subarray(0, 65_536));
    chunk.fill(index, 65_536);
    hash.update(chunk);
    writer.write(chunk);
  }
  await writer.end();
  expectedSha = hash.digest("hex");
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await rm(FILE, { force: true });
});

async function curl(args: string[]) {
  const child = Bun.spawn(["curl", "-sS", "--max-time", "60", ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  if (code !== 0) throw new Error(`curl failed (${code}): ${await new Response(child.stderr).text()}`);
  return out;
}

test("a 100 MB upload keeps the server's memory flat and its bytes intact", async () => {
  const subdomain = unique("mem");
  const signup = JSON.parse(
    await curl([
      "-H", `Host: ${BASE}`, "-H", "Content-Type: application/json", "-H", `X-Forwarded-For: 10.9.${Math.floor(Math.random() * 250)}.1`,
      "--data", JSON.stringify({ agency_name: "Memory Agency", subdomain, email: `${subdomain}@example.test`, password: PASSWORD, first_name: "M", last_name: "E" }),
      `${server.origin}/api/auth/signup`,
    ]),
  );
  const auth = ["-H", `Host: ${subdomain}.${BASE}`, "-H", `Authorization: Bearer ${signup.access_token}`];
  // Warm up (JIT, pools), then measure the peak across the big upload.
  await curl([...auth, "-F", "file=@/etc/hostname", `${server.origin}/api/documents`]);
  const before = await server.memory();
  const created = JSON.parse(await curl([...auth, "-F", `file=@${FILE};filename=big.bin`, `${server.origin}/api/documents`]));
  const after = await server.memory();
  expect(created.size).toBe(100 * MB);
  expect(created.sha256).toBe(expectedSha);
  const growth = Math.max(0, after.peak - before.peak);
  console.log(`upload of 100 MB: peak RSS ${Math.round(before.peak / MB)} → ${Math.round(after.peak / MB)} MB`);
  expect(growth).toBeLessThan(40 * MB);
}, 120_000);
