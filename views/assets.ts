// Fingerprinted asset URLs. `bun run build` writes static/build/manifest.json
// (logical name → hashed file name); views link the hashed names so they can
// be cached forever. Without a build (a bare `bun test`) the plain name is used.
import { existsSync } from "node:fs";
import { join } from "node:path";

export const BUILD_DIR = join(import.meta.dir, "..", "static", "build");
const MANIFEST = join(BUILD_DIR, "manifest.json");

export type AssetName = "app.css" | "htmx.js" | "alpine.js" | "app.js";

// Read once per process: every page links four assets, and a stat per link
// was 3 % of the dashboard's CPU (bench/RESULTS.md, S4). `require` puts the
// file in Bun's module graph, so `bun run dev` (`bun --watch`) restarts the
// server when the asset watcher rewrites the manifest.
const entries: Record<string, string> = existsSync(MANIFEST) ? require(MANIFEST) : {};

export function assetUrl(name: AssetName): string {
  return `/static/${entries[name] ?? name}`;
}
