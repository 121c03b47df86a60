// `bun run build`: Tailwind (CLI) → static/build/app.<hash>.css, htmx and the
// CSP build of Alpine copied from node_modules, our Alpine components from
// views/client; every file named by its content hash, listed in manifest.json.
// `--watch` rebuilds when a view, route or the CSS entry changes.
import { existsSync, mkdirSync, readdirSync, rmSync, watch } from "node:fs";
import { basename, extname, join } from "node:path";
import { BUILD_DIR } from "../views/assets";

const ROOT = join(import.meta.dir, "..");
const COPIED: Record<string, string> = {
  "htmx.js": "node_modules/htmx.org/dist/htmx.min.js",
  "alpine.js": "node_modules/@alpinejs/csp/dist/cdn.min.js",
  "app.js": "views/client/app.js",
};

async function tailwind(): Promise<Uint8Array> {
  const out = join(BUILD_DIR, ".app.css");
  const proc = Bun.spawn(["bun", "x", "--bun", "tailwindcss", "-i", "views/app.css", "-o", out, "--minify"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [code, stderr] = [await proc.exited, await new Response(proc.stderr).text()];
  if (code !== 0) throw new Error(`tailwindcss failed:\n${stderr}`);
  const bytes = await Bun.file(out).bytes();
  rmSync(out);
  return bytes;
}

function hashedName(name: string, bytes: Uint8Array) {
  const hash = new Bun.CryptoHasher("sha256").update(bytes).digest("hex").slice(0, 12);
  return `${basename(name, extname(name))}.${hash}${extname(name)}`;
}

export async function buildAssets(): Promise<Record<string, string>> {
  mkdirSync(BUILD_DIR, { recursive: true });
  const files: Record<string, Uint8Array> = { "app.css": await tailwind() };
  for (const [name, source] of Object.entries(COPIED)) files[name] = await Bun.file(join(ROOT, source)).bytes();
  const manifest: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(files)) {
    manifest[name] = hashedName(name, bytes);
    await Bun.write(join(BUILD_DIR, manifest[name]), bytes);
  }
  // Old fingerprints go once the manifest no longer names them.
  const keep = new Set([...Object.values(manifest), "manifest.json"]);
  for (const file of readdirSync(BUILD_DIR)) if (!keep.has(file)) rmSync(join(BUILD_DIR, file), { force: true });
  // Rewritten only when it changes: `bun run dev` restarts the server on a new manifest.
  const manifestPath = join(BUILD_DIR, "manifest.json");
  const text = JSON.stringify(manifest, null, 2);
  if (!existsSync(manifestPath) || (await Bun.file(manifestPath).text()) !== text) await Bun.write(manifestPath, text);
  return manifest;
}

if (import.meta.main) {
  const started = performance.now();
  await buildAssets();
  console.log(`build: assets in static/build (${Math.round(performance.now() - started)} ms)`);
  if (process.argv.includes("--watch")) {
    let timer: Timer | undefined;
    const rebuild = () => {
      clearTimeout(timer);
      timer = setTimeout(() => buildAssets().then(() => console.log("build: assets rebuilt"), (error) => console.error(String(error))), 100);
    };
    for (const dir of ["views", "src"]) watch(join(ROOT, dir), { recursive: true }, rebuild);
    console.log("build: watching views/ and src/");
  }
}
