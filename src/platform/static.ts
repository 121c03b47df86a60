// GET /static/<file>: the built assets. No tenant, session or database look-up
// happens here (no macros), and fingerprinted names are cached for a year.
import { Elysia } from "elysia";
import { join } from "node:path";
import { BUILD_DIR } from "../../views/assets";
import { NotFound } from "./errors";

const FILE_NAME = /^[a-z0-9-]+(?:\.[a-f0-9]{12})?\.(?:css|js)$/;
const FINGERPRINTED = /\.[a-f0-9]{12}\.(?:css|js)$/;

export function staticFiles() {
  return new Elysia({ name: "static" }).get("/static/:file", async ({ params, set }) => {
    // A strict name pattern, never a path: no traversal out of the build folder.
    if (!FILE_NAME.test(params.file)) throw NotFound();
    const file = Bun.file(join(BUILD_DIR, params.file));
    if (!(await file.exists())) throw NotFound();
    set.headers["cache-control"] = FINGERPRINTED.test(params.file) ? "public, max-age=31536000, immutable" : "no-cache";
    set.headers["content-type"] = params.file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    return file;
  });
}
