// GET /api/openapi.json and GET /api/docs (Swagger UI). The UI's files come
// from the swagger-ui-dist package and are served by us — no CDN — and the
// page loads them as files, because the CSP forbids inline scripts.
import { Elysia } from "elysia";
import type { Deps } from "../../app";
import { buildOpenApiDocument } from "./document";

const swaggerDir = `${import.meta.dir}/../../../node_modules/swagger-ui-dist`;
const ASSETS: Record<string, { path: string; type: string }> = {
  "swagger-ui.css": { path: `${swaggerDir}/swagger-ui.css`, type: "text/css; charset=utf-8" },
  "swagger-ui-bundle.js": { path: `${swaggerDir}/swagger-ui-bundle.js`, type: "text/javascript; charset=utf-8" },
  "init.js": { path: `${import.meta.dir}/swagger-init.js`, type: "text/javascript; charset=utf-8" },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Aggios API reference</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui" data-spec-url="/api/openapi.json"><noscript>The reference needs JavaScript; the raw document is at <a href="/api/openapi.json">/api/openapi.json</a>.</noscript></main>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/assets/init.js"></script>
</body>
</html>`;

export function docsRoutes(deps: Pick<Deps, "config">) {
  const plugin = new Elysia({ name: "docs" });
  let cached: { routes: number; body: string } | undefined;

  return plugin
    .get(
      "/api/openapi.json",
      ({ set }) => {
        // getGlobalRoutes: every route of the app this plugin is mounted in.
        const routes = (plugin as unknown as { getGlobalRoutes(): unknown[] }).getGlobalRoutes().length;
        if (cached?.routes !== routes) cached = { routes, body: JSON.stringify(buildOpenApiDocument(plugin, deps.config)) };
        set.headers["content-type"] = "application/json";
        set.headers["cache-control"] = "no-cache";
        return cached.body;
      },
      { detail: { hide: true } },
    )
    .get(
      "/api/docs",
      ({ set }) => {
        set.headers["content-type"] = "text/html; charset=utf-8";
        return PAGE;
      },
      { detail: { hide: true } },
    )
    .get(
      "/api/docs/assets/:file",
      ({ params, set }) => {
        // hasOwn: a name like `constructor` must not reach Object.prototype.
        const asset = Object.hasOwn(ASSETS, params.file) ? ASSETS[params.file] : undefined;
        if (!asset) {
          set.status = 404;
          return "Not found";
        }
        set.headers["content-type"] = asset.type;
        set.headers["cache-control"] = "public, max-age=3600";
        return Bun.file(asset.path);
      },
      { detail: { hide: true } },
    );
}
