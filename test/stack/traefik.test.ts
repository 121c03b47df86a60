// Traefik's static configuration (as deploy/traefik/entrypoint.sh renders it)
// and the shared dynamic configuration, against Traefik v3 schemas and for
// the properties the edge depends on.
import { describe, expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020";
import staticSchema from "./schemas/traefik-v3-static.schema.json";
import dynamicSchema from "./schemas/traefik-v3-dynamic.schema.json";
import { environmentOf, labelsOf, loadCompose, loadTraefikDynamic, readRepoFile, renderTraefikStatic, routersFromLabels, sampleEnv } from "./stack";

const ajv = new Ajv2020({ allErrors: true });
const validateStatic = ajv.compile(staticSchema);
const validateDynamic = ajv.compile(dynamicSchema);

const rendered = renderTraefikStatic();
if (!rendered.ok) throw new Error(`traefik.yml did not render: ${rendered.stderr}`);
const traefik = rendered.config;
const dynamic = loadTraefikDynamic();
const compose = loadCompose();
const traefikService = compose.services.traefik;
const appRouters = routersFromLabels(labelsOf(compose.services.app));

describe("traefik/traefik.yml (static)", () => {
  test("renders completely and validates against the Traefik v3 schema", () => {
    expect(rendered.text).not.toContain("${");
    validateStatic(traefik);
    expect(validateStatic.errors ?? []).toEqual([]);
  });

  test("the schema rejects a misspelt key (so the check above can fail)", () => {
    const broken = structuredClone(traefik);
    broken.providers.docker.exposedbydefault = false;
    expect(validateStatic(broken)).toBe(false);
    const alsoBroken = structuredClone(traefik);
    alsoBroken.certificatesResolvers["letsencrypt-dns"].acme.dnsChallenge = {};
    expect(validateStatic(alsoBroken)).toBe(false);
  });

  test("rendering refuses a missing value or one that would break the YAML", () => {
    const { INTERNAL_TOKEN: _, ...withoutToken } = sampleEnv;
    const missing = renderTraefikStatic(withoutToken);
    expect(missing.ok).toBe(false);
    expect(missing.stderr).toContain("INTERNAL_TOKEN");
    const quoted = renderTraefikStatic({ ...sampleEnv, ACME_EMAIL: 'ops@x.y"\nlog: {}' });
    expect(quoted.ok).toBe(false);
  });

  test("every placeholder is a variable compose gives the traefik container", () => {
    const template = readRepoFile("traefik/traefik.yml").replace(/^\s*#.*$/gm, "");
    const names = [...template.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(0);
    const env = environmentOf(traefikService);
    for (const name of names) expect(Object.keys(env)).toContain(name);
  });

  test("compose starts traefik through the rendering entrypoint and health-checks the rendered file", () => {
    expect(traefikService.entrypoint).toEqual(["/bin/sh", "/usr/local/bin/aggios-traefik-entrypoint"]);
    expect(traefikService.volumes).toContain("./deploy/traefik/entrypoint.sh:/usr/local/bin/aggios-traefik-entrypoint:ro");
    expect(traefikService.healthcheck.test).toContain("--configFile=/tmp/traefik.yml");
    expect(traefikService.tmpfs).toContain("/tmp");
    expect(traefik.ping.entryPoint).toBe("traefik");
  });

  test("entrypoints: web :80, websecure :443 with TLS and the shared middlewares", () => {
    expect(traefik.entryPoints.web.address).toBe(":80");
    expect(traefik.entryPoints.websecure.address).toBe(":443");
    expect(traefik.entryPoints.websecure.http.tls).toEqual({});
    expect(traefik.entryPoints.websecure.http.middlewares).toEqual(["security-headers@file", "rate-limit@file", "compress@file"]);
    for (const reference of traefik.entryPoints.websecure.http.middlewares as string[]) {
      expect(Object.keys(dynamic.http.middlewares)).toContain(reference.replace(/@file$/, ""));
    }
  });

  test("HTTP goes to HTTPS by a low-priority catch-all, not an entrypoint redirection", () => {
    // Entrypoint redirection is a router at MaxInt-1 that would shadow every
    // other router on :80.
    expect(traefik.entryPoints.web.http?.redirections).toBeUndefined();
    const catchAll = dynamic.http.routers["http-to-https"];
    expect(catchAll.entryPoints).toEqual(["web"]);
    expect(catchAll.rule).toBe("PathPrefix(`/`)");
    expect(catchAll.priority).toBe(1);
    const [middleware] = catchAll.middlewares;
    expect(dynamic.http.middlewares[middleware].redirectScheme).toEqual({ scheme: "https", permanent: true });
    // ACME HTTP-01 is answered by Traefik itself on the web entrypoint.
    expect(traefik.certificatesResolvers["letsencrypt-http"].acme.httpChallenge.entryPoint).toBe("web");
  });

  test("no upstream is trusted to set X-Forwarded-For", () => {
    for (const name of ["web", "websecure"]) {
      const headers = traefik.entryPoints[name].forwardedHeaders;
      expect(headers.insecure).toBe(false);
      for (const range of (headers.trustedIPs ?? []) as string[]) expect(range).not.toMatch(/^(0\.0\.0\.0|::)\/0$/);
    }
  });

  test("docker provider: opt-in only, on the edge network", () => {
    expect(traefik.providers.docker.exposedByDefault).toBe(false);
    expect(traefik.providers.docker.network).toBe(compose.networks.edge.name);
    expect(traefikService.networks).toContain("edge");
  });

  test("HTTP provider polls the app's custom-domain endpoint with the internal bearer token", () => {
    const http = traefik.providers.http;
    const endpoint = new URL(http.endpoint);
    expect(endpoint.hostname).toBe("app");
    expect(endpoint.port).toBe(environmentOf(compose.services.app).PORT!);
    expect(endpoint.pathname).toBe("/internal/traefik/dynamic.json");
    expect(http.headers.Authorization).toBe(`Bearer ${sampleEnv.INTERNAL_TOKEN}`);
  });

  test("certificate resolvers: DNS-01 for the wildcard, HTTP-01 for single names", () => {
    const dns = traefik.certificatesResolvers["letsencrypt-dns"].acme;
    expect(dns.dnsChallenge.provider).toBe(sampleEnv.ACME_DNS_PROVIDER!);
    expect(dns.email).toBe(sampleEnv.ACME_EMAIL!);
    const http = traefik.certificatesResolvers["letsencrypt-http"].acme;
    expect(http.httpChallenge).toBeDefined();
    // Certificates persist across restarts (Let's Encrypt rate limits).
    for (const acme of [dns, http]) expect(acme.storage.startsWith("/letsencrypt/")).toBe(true);
    expect(traefikService.volumes).toContain("letsencrypt:/letsencrypt");
    // Every resolver a router names exists.
    for (const router of appRouters) {
      if (router.certResolver) expect(Object.keys(traefik.certificatesResolvers)).toContain(router.certResolver);
    }
  });

  test("dashboard is not exposed publicly", () => {
    expect(traefik.api.insecure).toBe(false);
    // api@internal is routed only on the `traefik` entrypoint...
    for (const router of Object.values(dynamic.http.routers) as { service: string; entryPoints: string[] }[]) {
      if (router.service === "api@internal") expect(router.entryPoints).toEqual(["traefik"]);
    }
    for (const router of appRouters) expect(router.service).not.toBe("api@internal");
    // ...which is published on the host's loopback only.
    const port = traefik.entryPoints.traefik.address.replace(/^.*:/, "");
    const published = (traefikService.ports as string[]).filter((p) => p.endsWith(`:${port}`));
    expect(published).toEqual([`127.0.0.1:${port}:${port}`]);
  });

  test("metrics: Prometheus on an entrypoint that is not published", () => {
    const entryPoint = traefik.metrics.prometheus.entryPoint;
    expect(["web", "websecure", "traefik"]).not.toContain(entryPoint);
    const port = traefik.entryPoints[entryPoint].address.replace(/^.*:/, "");
    for (const p of traefikService.ports as string[]) expect(p.endsWith(`:${port}`)).toBe(false);
  });

  test("access log: JSON, request headers dropped except X-Request-Id", () => {
    expect(traefik.accessLog.format).toBe("json");
    expect(traefik.accessLog.fields.headers.defaultMode).toBe("drop");
    expect(traefik.accessLog.fields.headers.names["X-Request-Id"]).toBe("keep");
    expect(traefik.accessLog.fields.headers.names.Authorization).toBeUndefined();
    expect(traefik.log.format).toBe("json");
  });
});

describe("traefik/dynamic (file provider)", () => {
  test("validates against the Traefik v3 dynamic schema", () => {
    validateDynamic(dynamic);
    expect(validateDynamic.errors ?? []).toEqual([]);
  });

  test("the schema rejects an unknown middleware option (so the check above can fail)", () => {
    const broken = structuredClone(dynamic);
    broken.http.middlewares["security-headers"].headers.stsSecond = 1;
    expect(validateDynamic(broken)).toBe(false);
  });

  test("security headers: HSTS for at least 180 days, nosniff, no framing, a referrer policy", () => {
    const headers = dynamic.http.middlewares["security-headers"].headers;
    expect(headers.stsSeconds).toBeGreaterThanOrEqual(15552000);
    expect(headers.contentTypeNosniff).toBe(true);
    expect(headers.frameDeny).toBe(true);
    expect(headers.referrerPolicy).toBeTruthy();
  });

  test("rate limit and compression are configured", () => {
    const limit = dynamic.http.middlewares["rate-limit"].rateLimit;
    expect(limit.average).toBeGreaterThan(0);
    expect(limit.burst).toBeGreaterThanOrEqual(limit.average);
    expect(dynamic.http.middlewares.compress.compress.excludedContentTypes).toContain("text/event-stream");
  });

  test("TLS 1.2 at least", () => {
    expect(dynamic.tls.options.default.minVersion).toMatch(/^VersionTLS1[23]$/);
  });
});
