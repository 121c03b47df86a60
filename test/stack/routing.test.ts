// The app's Traefik labels in docker-compose.yml: that they are well-formed,
// and that the routers they make send each host where SPEC §2 says.
import { describe, expect, test } from "bun:test";
import { labelsOf, loadCompose, loadRawCompose, routersFromLabels, sampleEnv } from "./stack";
import { goRegexp, hostRegexps, parseRule, route } from "./rules";

const labels = labelsOf(loadCompose().services.app);
const routers = routersFromLabels(labels);
const byName = (name: string) => {
  const router = routers.find((r) => r.name === name);
  if (!router) throw new Error(`router ${name} is missing`);
  return router;
};
const base = sampleEnv.BASE_DOMAIN!;

describe("traefik labels on app", () => {
  test("every label is one Traefik understands (typos fail here, not in production)", () => {
    const known = [
      /^traefik\.enable$/,
      /^traefik\.docker\.network$/,
      /^traefik\.http\.routers\.[a-z0-9-]+\.(rule|priority|entrypoints|middlewares|service|tls|tls\.certresolver|tls\.options)$/,
      /^traefik\.http\.routers\.[a-z0-9-]+\.tls\.domains\[\d+\]\.(main|sans)$/,
      /^traefik\.http\.services\.[a-z0-9-]+\.loadbalancer\.(server\.port|server\.scheme|passhostheader|healthcheck\.(path|interval|timeout))$/,
    ];
    const unknown = Object.keys(labels).filter((key) => !known.some((pattern) => pattern.test(key)));
    expect(unknown).toEqual([]);
  });

  test("routers exist for the site (apex + www), the API and the tenant wildcard", () => {
    expect(routers.map((r) => r.name).sort()).toEqual(["aggios-api", "aggios-site", "aggios-tenant"]);
    for (const router of routers) {
      expect(router.entryPoints).toEqual(["websecure"]);
      expect(router.service).toBe("aggios");
    }
    expect(labels["traefik.http.services.aggios.loadbalancer.server.port"]).toBe("3000");
    expect(labels["traefik.http.services.aggios.loadbalancer.healthcheck.path"]).toBe("/health");
  });

  test("every rule parses as Traefik v3 syntax", () => {
    for (const router of routers) expect(() => parseRule(router.rule)).not.toThrow();
    expect(() => parseRule("Host('aggios.app')")).toThrow();
    expect(() => parseRule("HostRegexp(`{subdomain:[a-z]+}.aggios.app`")).toThrow();
  });

  test("the wildcard certificate comes from DNS-01, the apex from HTTP-01", () => {
    const tenant = byName("aggios-tenant");
    expect(tenant.certResolver).toBe("letsencrypt-dns");
    expect(tenant.domains).toEqual([{ main: `*.${base}` }]);
    const api = byName("aggios-api");
    expect(api.certResolver).toBe("letsencrypt-dns");
    expect(api.domains).toEqual([{ main: `*.${base}` }]);
    expect(byName("aggios-site").certResolver).toBe("letsencrypt-http");
  });

  test("the raw labels double `$` for compose and use BASE_DOMAIN, not a fixed domain", () => {
    const rawLabels = labelsOf(loadRawCompose().services.app);
    const rule = rawLabels["traefik.http.routers.aggios-tenant.rule"]!;
    expect(rule).toContain("$$`)");
    expect(rule).toContain("${BASE_DOMAIN}");
    expect(rawLabels["traefik.http.routers.aggios-tenant.tls.domains[0].main"]).toBe("*.${BASE_DOMAIN}");
    for (const value of Object.values(rawLabels)) expect(value).not.toContain("aggios.app");
  });
});

describe("HostRegexp rules", () => {
  const patterns = routers.flatMap((router) => hostRegexps(router.rule));

  test("there is a tenant HostRegexp and each compiles (Go RE2 read as JS)", () => {
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) expect(() => goRegexp(pattern)).not.toThrow();
  });

  test("each is anchored: Go's MatchString would otherwise match inside a longer host", () => {
    for (const pattern of patterns) expect(pattern).toMatch(/^(\(\?i\))?\^.*\$$/);
  });

  test("matches exactly one label in front of BASE_DOMAIN", () => {
    for (const pattern of patterns) {
      const regexp = goRegexp(pattern);
      for (const host of [`acme.${base}`, `ACME.${base}`, `a.${base}`, `agency-42.${base}`, `${"a".repeat(63)}.${base}`]) {
        expect({ host, matches: regexp.test(host) }).toEqual({ host, matches: true });
      }
      for (const host of [
        base,
        `a.b.${base}`,
        `.${base}`,
        `-acme.${base}`,
        `acme-.${base}`,
        `${"a".repeat(64)}.${base}`,
        `acme.${base.replace(".", "x")}`, // the domain's dots are literal
        `acme.${base}.evil.example`,
        `evil${base}`,
        `acme_x.${base}`,
      ]) {
        expect({ host, matches: regexp.test(host) }).toEqual({ host, matches: false });
      }
    }
  });

  test("a bad pattern would be caught: the test itself is not vacuous", () => {
    const unanchored = goRegexp(String.raw`[a-z0-9-]+\.\Qaggios.app\E`);
    expect(unanchored.test("a.b.aggios.app")).toBe(true);
    expect(() => goRegexp("(?P<sub>[a-z]+)")).toThrow();
  });
});

describe("which router serves which request", () => {
  const cases: [host: string, path: string, router: string | undefined][] = [
    [base, "/", "aggios-site"],
    [`www.${base}`, "/signup", "aggios-site"],
    [`api.${base}`, "/api/users/me", "aggios-api"],
    [`API.${base}`, "/api/clients", "aggios-api"],
    [`acme.${base}`, "/", "aggios-tenant"],
    [`acme.${base}`, "/api/clients", "aggios-tenant"],
    [`a.b.${base}`, "/", undefined],
    ["customer.example.com", "/", undefined], // custom domains come from the HTTP provider
    // Internal endpoints are never routed from the internet.
    [`acme.${base}`, "/internal/traefik/dynamic.json", undefined],
    [base, "/internal/traefik/dynamic.json", undefined],
    [`api.${base}`, "/metrics", undefined],
    [`acme.${base}`, "/metrics", undefined],
  ];
  for (const [host, path, expected] of cases) {
    test(`${host}${path} -> ${expected ?? "no router (404)"}`, () => {
      expect(route(routers, { host, path })?.name).toBe(expected);
    });
  }

  test("explicit priorities put apex/www and api above the wildcard", () => {
    expect(byName("aggios-site").priority!).toBeGreaterThan(byName("aggios-tenant").priority!);
    expect(byName("aggios-api").priority!).toBeGreaterThan(byName("aggios-tenant").priority!);
  });
});
