// OpenTelemetry tracing, only when OTEL_EXPORTER_OTLP_ENDPOINT is set. When it
// is not, nothing of the SDK is imported (the import below is dynamic) and the
// HTTP hooks see `null`: no spans, no context propagation, zero overhead.
import type { Config } from "../config";

export type RequestFacts = { route?: string; status: number; tenantId?: string; userId?: string };

export type RequestTracing = {
  /** Opens the server span, continuing an incoming W3C `traceparent`. */
  start(request: Request, requestId: string): void;
  end(request: Request, facts: RequestFacts): void;
  /** Flushes buffered spans; call before exit. */
  shutdown(): Promise<void>;
};

export async function startTracing(config: Config): Promise<RequestTracing | null> {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  const { createOtelTracing } = await import("./tracing-otel");
  return createOtelTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: "aggios" });
}
