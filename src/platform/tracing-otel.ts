// The OpenTelemetry half of tracing.ts, imported only when an OTLP endpoint is
// configured. One server span per request, exported over OTLP/HTTP (JSON).
// The request id rides on every span (`aggios.request_id`), so a log line, a
// Traefik access-log line and a trace are found by the same id.
import { context, SpanKind, SpanStatusCode, type Span } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import type { RequestFacts, RequestTracing } from "./tracing";

const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

export function createOtelTracing(options: { endpoint: string; serviceName: string }): RequestTracing {
  // OTEL_EXPORTER_OTLP_ENDPOINT is the base URL; the traces signal lives under /v1/traces (OTLP spec).
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, "")}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("aggios");
  const propagator = new W3CTraceContextPropagator();
  const spans = new WeakMap<Request, Span>();

  return {
    start(request, requestId) {
      const parent = propagator.extract(context.active(), request.headers, headerGetter);
      const span = tracer.startSpan(
        request.method,
        {
          kind: SpanKind.SERVER,
          attributes: { "http.request.method": request.method, "url.path": new URL(request.url).pathname, "aggios.request_id": requestId },
        },
        parent,
      );
      spans.set(request, span);
    },
    end(request, facts: RequestFacts) {
      const span = spans.get(request);
      if (!span) return;
      spans.delete(request);
      const route = facts.route ?? "unmatched";
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ "http.route": route, "http.response.status_code": facts.status });
      if (facts.tenantId) span.setAttribute("aggios.tenant_id", facts.tenantId);
      if (facts.userId) span.setAttribute("enduser.id", facts.userId);
      if (facts.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
    shutdown: () => provider.shutdown(),
  };
}
