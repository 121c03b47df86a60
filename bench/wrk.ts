// Runs wrk (Debian's `wrk`) with bench/wrk/requests.lua and samples the
// server's resident memory while it runs.
import { join } from "node:path";

const SCRIPT = join(import.meta.dir, "wrk", "requests.lua");

export type Load = {
  url: string;
  method?: string;
  path: string;
  /** File of request lines (see requests.lua). */
  requests?: string;
  connections: number;
  seconds: number;
  threads?: number;
  spreadIp?: boolean;
  timeoutSeconds?: number;
};

export type LoadResult = {
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  non2xx: number;
  rssPeakMb: number;
  rssEndMb: number;
};

export function assertWrkInstalled() {
  if (Bun.which("wrk")) return;
  console.error("bench: `wrk` is not installed. On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y wrk");
  process.exit(1);
}

/** Resident set size of a process, in MiB (VmRSS), or its peak since the last reset (VmHWM). */
export async function rssMb(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): Promise<number> {
  const status = await Bun.file(`/proc/${pid}/status`).text().catch(() => "");
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
}

/** Resets VmHWM (the kernel's peak RSS) so the next reading is the peak from now on. */
export async function resetPeakRss(pid: number) {
  await Bun.write(`/proc/${pid}/clear_refs`, "5");
}

export async function runLoad(load: Load, serverPid: number): Promise<LoadResult> {
  const args = [
    "wrk", `-t${load.threads ?? 1}`, `-c${load.connections}`, `-d${load.seconds}s`, `--timeout`, `${load.timeoutSeconds ?? 10}s`,
    "-s", SCRIPT, `${load.url}${load.path}`,
  ];
  const env = {
    ...process.env,
    BENCH_METHOD: load.method ?? "GET",
    BENCH_PATH: load.path,
    BENCH_REQUESTS: load.requests ?? "",
    BENCH_SPREAD_IP: load.spreadIp ? "1" : "0",
  };
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssMb(serverPid));
      await Bun.sleep(250);
    }
  })();
  const child = Bun.spawn(args, { env, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  sampling = false;
  await sampler;
  if (code !== 0) throw new Error(`wrk failed (${code}): ${err}\n${out}`);
  const line = out.split("\n").find((text) => text.startsWith("{\"requests\""));
  if (!line) throw new Error(`wrk printed no summary:\n${out}\n${err}`);
  const summary = JSON.parse(line) as Record<string, number>;
  const ms = (us: number) => Math.round(us / 10) / 100;
  return {
    requests: summary.requests!,
    rps: Math.round((summary.requests! / summary.duration_us!) * 1e6),
    p50Ms: ms(summary.p50_us!),
    p90Ms: ms(summary.p90_us!),
    p99Ms: ms(summary.p99_us!),
    maxMs: ms(summary.max_us!),
    errors: summary.connect_errors! + summary.read_errors! + summary.write_errors! + summary.timeouts!,
    non2xx: summary.status_errors!,
    rssPeakMb: Math.round(peak),
    rssEndMb: Math.round(await rssMb(serverPid)),
  };
}
