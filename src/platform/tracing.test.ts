import { afterAll, describe, expect, test } from "bun:test";
import { Glob } from "bun";
import { startApp } from "../../test/processes";

const received: any[] = [];
// A stand-in OTLP/HTTP collector (JSON encoding) on this suite's port 4420.
const collector = Bun.serve({
  port: 4420,
  hostname: "127.0.0.1",
  async fetch(request) {
    if (new URL(request.url).pathname === "/v1/traces") received.push(await request.json());
    return Response.json({});
  },
});
afterAll(() => collector.stop(true));

function spans() {
  return received.flatMap((body) => body.resourceSpans.flatMap((resource: any) => resource.scopeSpans.flatMap((scope: any) => scope.spans)));
}
const attribute = (span: any, key: string) => {
  const value = span.attributes.find((item: any) => item.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

describe("tracing", () => {
  test("with OTEL_EXPORTER_OTLP_ENDPOINT, each request is a span carrying its request id and route", async () => {
    const app = await startApp(4455, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4420" });
    const requestId = `trace-${crypto.randomUUID()}`;
    const traceId = crypto.randomUUID().replaceAll("-", "");
    const response = await fetch(`${app.url}/api/users/me`, {
      headers: { host: "api.localhost", "x-request-id": requestId, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toBe(requestId);
    // SIGTERM flushes buffered spans before exit.
    expect(await app.stop("SIGTERM")).toBe(0);

    const span = spans().find((candidate) => attribute(candidate, "aggios.request_id") === requestId);
    expect(span).toBeDefined();
    expect(span.name).toBe("GET /api/users/me");
    expect(attribute(span, "http.route")).toBe("/api/users/me");
    expect(Number(attribute(span, "http.response.status_code"))).toBe(401);
    // Continues the caller's trace (W3C traceparent).
    expect(span.traceId).toBe(traceId);
    expect(span.parentSpanId).toBe("00f067aa0ba902b7");
  }, 30_000);

  test("without it, the SDK is never imported: only tracing-otel.ts names it, and only dynamically", async () => {
    const importers: string[] = [];
    for await (const path of new Glob("src/**/*.{ts,tsx}").scan(".")) {
      if (path.endsWith(".test.ts")) continue;
      const text = await Bun.file(path).text();
      if (text.includes("@opentelemetry/")) importers.push(path);
      if (/from ["']\.\/tracing-otel["']|import ["'].*tracing-otel["']/.test(text)) importers.push(`${path} (static import of tracing-otel)`);
    }
    expect(importers).toEqual(["src/platform/tracing-otel.ts"]);
    expect(await Bun.file("src/platform/tracing.ts").text()).toContain('await import("./tracing-otel")');
  });
});
