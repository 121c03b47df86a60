// Real app processes and a real load balancer (Debian's nginx) on loopback,
// for the scale-out tests. Ports: this suite owns 4450–4499.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

export type AppProcess = { port: number; url: string; child: Subprocess<"ignore", "pipe", "pipe">; stop(signal?: NodeJS.Signals): Promise<number> };

async function waitFor(url: string, child: Subprocess, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before ${url} answered`);
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await Bun.sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** `bun src/main.ts` on `port`, against the test database and Redis; resolves once /health answers. */
export async function startApp(port: number, env: Record<string, string> = {}): Promise<AppProcess> {
  const child = Bun.spawn(["bun", "src/main.ts"], {
    env: { ...process.env, PORT: String(port), NODE_ENV: "test", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, child);
  return {
    port,
    url,
    child,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return child.exited;
    },
  };
}

/** nginx in the foreground, round robin over `upstreams`, retrying the next one when a connection fails. */
export async function startNginx(port: number, upstreams: number[]) {
  const dir = await mkdtemp(join(tmpdir(), "aggios-nginx-"));
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) await mkdir(join(dir, sub));
  const config = `
daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream aggios {
    # max_fails=0: never take a server out of rotation, so round robin is exact.
    ${upstreams.map((upstream) => `server 127.0.0.1:${upstream} max_fails=0;`).join("\n    ")}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://aggios;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      # The test plays the edge: its X-Forwarded-For is the client address.
      proxy_set_header X-Forwarded-For $http_x_forwarded_for;
      proxy_pass_request_headers on;
      # What Traefik does for a replica that stops accepting: try the next one.
      proxy_next_upstream error timeout http_502;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 1s;
    }
  }
}
`;
  const file = join(dir, "nginx.conf");
  await writeFile(file, config);
  const child = Bun.spawn(["nginx", "-c", file, "-p", dir, "-e", join(dir, "error.log")], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await fetch(`${url}/health`).then(() => true, () => false))) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${await new Response(child.stderr).text()}`);
    if (Date.now() > deadline) throw new Error("nginx did not start");
    await Bun.sleep(50);
  }
  return {
    url,
    errorLog: () => Bun.file(join(dir, "error.log")).text(),
    async stop() {
      child.kill("SIGQUIT");
      await child.exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
