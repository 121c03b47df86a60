// A real Aggios server in a child process (src/main.ts), for tests that need
// real HTTP: browser tests, memory measurements. Each suite picks its own port.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");

export async function startServer(port: number, env: Record<string, string> = {}) {
  const storageDir = await mkdtemp(join(tmpdir(), "aggios-server-"));
  const child = Bun.spawn(["bun", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), STORAGE_DIR: storageDir, LOG_LEVEL: "warn", ...env },
    stdout: "inherit",
    stderr: "inherit",
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const up = await fetch(`${origin}/health`).then((response) => response.ok, () => false);
    if (up) break;
    if (attempt > 100 || child.exitCode !== null) throw new Error(`server on port ${port} did not start`);
    await Bun.sleep(100);
  }
  return {
    origin,
    port,
    pid: child.pid,
    storageDir,
    /** Peak and current resident memory of the server process, in bytes (Linux). */
    async memory() {
      const status = await Bun.file(`/proc/${child.pid}/status`).text();
      const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
      return { peak: kb("VmHWM"), current: kb("VmRSS") };
    },
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([child.exited, Bun.sleep(5_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

export type RunningServer = Awaited<ReturnType<typeof startServer>>;
