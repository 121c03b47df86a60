// Starts a server under test as a child process, waits until it answers, and
// stops it. Output goes to bench/out/<name>.log (logging is part of the cost).
import { mkdirSync, openSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..");
export const OUT = join(import.meta.dir, "out");

export type Running = { name: string; pid: number; origin: string; readyMs: number; stop(): Promise<void> };

const running = new Set<Running>();

/** Stops whatever is still running (a failed scenario must not leave servers behind). */
export async function stopAll() {
  await Promise.allSettled([...running].map((server) => server.stop()));
}

export async function startServer(options: { name: string; command: string[]; port: number; env: Record<string, string>; readyPath?: string; host?: string }): Promise<Running> {
  mkdirSync(OUT, { recursive: true });
  const log = openSync(join(OUT, `${options.name}.log`), "w");
  const origin = `http://127.0.0.1:${options.port}`;
  const started = performance.now();
  const child = Bun.spawn(options.command, { cwd: ROOT, env: { ...process.env, ...options.env, PORT: String(options.port) }, stdout: log, stderr: log });
  const headers = options.host ? { host: options.host } : undefined;
  for (;;) {
    const ok = await fetch(`${origin}${options.readyPath ?? "/health"}`, { headers }).then((response) => response.ok, () => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`${options.name} exited (${child.exitCode}); see bench/out/${options.name}.log`);
    if (performance.now() - started > 30_000) {
      child.kill("SIGKILL");
      throw new Error(`${options.name} did not become ready in 30 s`);
    }
    await Bun.sleep(5);
  }
  const readyMs = Math.round(performance.now() - started);
  const server: Running = {
    name: options.name,
    pid: child.pid,
    origin,
    readyMs,
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([child.exited, Bun.sleep(5_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
      await child.exited;
      running.delete(server);
    },
  };
  running.add(server);
  return server;
}
