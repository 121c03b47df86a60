// Fingerprinted asset URLs. `bun run build` writes static/build/manifest.json
// (logical name → hashed file name); views link the hashed names so they can
// be cached forever. Without a build (a bare `bun test`) the plain name is used.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export const BUILD_DIR = join(import.meta.dir, "..", "static", "build");
const MANIFEST = join(BUILD_DIR, "manifest.json");

export type AssetName = "app.css" | "htmx.js" | "alpine.js" | "app.js";

let cached: { mtimeMs: number; entries: Record<string, string> } | undefined;

function manifest(): Record<string, string> {
  if (!existsSync(MANIFEST)) return {};
  // Re-read when the file changes, so `bun run dev` picks up rebuilt CSS without a restart.
  const mtimeMs = statSync(MANIFEST).mtimeMs;
  if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, entries: JSON.parse(readFileSync(MANIFEST, "utf8")) };
  return cached.entries;
}

export function assetUrl(name: AssetName): string {
  return `/static/${manifest()[name] ?? name}`;
}
