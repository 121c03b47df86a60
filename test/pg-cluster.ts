// A throw-away PostgreSQL cluster of the machine's own version, for tests that
// must stop and restart the database without disturbing the shared one.
import { chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function readdirSafe(path: string) {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

// Debian keeps initdb and pg_ctl out of PATH, under /usr/lib/postgresql/N/bin.
const debianBins = readdirSafe("/usr/lib/postgresql").sort().reverse().map((version) => `/usr/lib/postgresql/${version}/bin`);
const findBin = (name: string) => Bun.which(name) ?? Bun.which(name, { PATH: debianBins.join(":") });
const initdb = findBin("initdb");
const pgCtl = findBin("pg_ctl");
const psqlBin = findBin("psql");
const asRoot = process.getuid?.() === 0;
const postgresId = (flag: "-u" | "-g") => Number(Bun.spawnSync(["id", flag, "postgres"]).stdout.toString().trim() || NaN);
// initdb refuses to run as root; CI runs as root, so drop to `postgres`.
const runuser = Bun.which("runuser") ?? Bun.which("runuser", { PATH: "/usr/sbin:/sbin" });

export const clusterAvailable =
  Boolean(initdb && pgCtl && psqlBin) && (!asRoot || (Boolean(runuser) && Number.isInteger(postgresId("-u"))));

const asPostgres = (cmd: string[]) => (asRoot ? [runuser!, "-u", "postgres", "--", ...cmd] : cmd);

/**
 * initdb + pg_ctl start on `port`: on a unix socket only by default, or also on
 * 127.0.0.1 with `tcp`. Superuser `postgres`, trust auth.
 */
export function startCluster(options: { port: number; tcp?: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), "aggios-pg-"));
  if (asRoot) chownSync(dir, postgresId("-u"), postgresId("-g"));
  const data = join(dir, "data");
  const port = String(options.port);
  const listen = options.tcp ? "127.0.0.1" : "";
  const init = Bun.spawnSync(asPostgres([initdb!, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]));
  if (init.exitCode !== 0) throw new Error(init.stderr.toString());

  function start() {
    const run = Bun.spawnSync(
      asPostgres([pgCtl!, "-D", data, "-w", "-o", `-c listen_addresses='${listen}' -c unix_socket_directories=${dir} -p ${port}`, "-l", join(dir, "log"), "start"]),
    );
    if (run.exitCode !== 0) throw new Error(run.stderr.toString() + run.stdout.toString());
  }

  /** `immediate` is a crash; `fast` a clean shutdown that still cuts every session. */
  function stop(mode: "fast" | "immediate" = "immediate") {
    Bun.spawnSync(asPostgres([pgCtl!, "-D", data, "-m", mode, "-w", "stop"]));
  }

  start();
  const env = () => ({ PATH: process.env.PATH!, PGHOST: dir, PGPORT: port });
  return {
    dir,
    port: options.port,
    start,
    stop,
    env,
    psql(sql: string, user = "postgres", database = "postgres") {
      const run = Bun.spawnSync(asPostgres([psqlBin!, "-XAtq", "-U", user, "-d", database, "-c", sql]), { env: env() });
      if (run.exitCode !== 0) throw new Error(run.stderr.toString());
      return run.stdout.toString().trim();
    },
    /** Runs a shell script as the cluster's OS user, pointed at the cluster. */
    runScript(path: string, variables: Record<string, string>) {
      return Bun.spawnSync(asPostgres(["env", ...Object.entries(variables).map(([key, value]) => `${key}=${value}`), "sh", path]), { env: env() });
    },
    remove() {
      stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Cluster = ReturnType<typeof startCluster>;
