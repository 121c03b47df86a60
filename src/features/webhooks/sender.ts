// One signed POST to a tenant's endpoint: SSRF-checked, with a timeout and a
// cap on how much of the answer we read (a hostile receiver must not be able
// to hold a worker or fill its memory).
import type { AttemptResult } from "./queries";
import { signatureHeader, SIGNATURE_HEADER } from "./signing";
import { checkTarget, TargetRefused, type CheckedTarget, type Resolver } from "./ssrf";

export type SendOptions = { allowedHosts: readonly string[]; timeoutMs: number; maxResponseBytes: number; resolver?: Resolver };
export type Outgoing = { url: string; body: string; secret: string; headers: Record<string, string> };

const EXCERPT_CHARS = 500;

/** For http, the URL of the exact address we checked (no second DNS answer); https keeps its name for TLS. */
function connectUrl(target: CheckedTarget): URL {
  if (target.url.protocol !== "http:") return target.url;
  const pinned = new URL(target.url);
  pinned.hostname = target.family === 6 ? `[${target.address}]` : target.address;
  return pinned;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
}

export async function sendWebhook(outgoing: Outgoing, options: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const target = await checkTarget(outgoing.url, options.allowedHosts, options.resolver);
    const response = await fetch(connectUrl(target), {
      method: "POST",
      headers: {
        ...outgoing.headers,
        host: target.url.host,
        "content-type": "application/json",
        "user-agent": "Aggios-Webhooks/1",
        [SIGNATURE_HEADER]: signatureHeader(outgoing.secret, outgoing.body),
      },
      body: outgoing.body,
      redirect: "manual", // a redirect could point anywhere, past the SSRF check
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await readCapped(response, options.maxResponseBytes);
    return { statusCode: response.status, error: null, excerpt: text.slice(0, EXCERPT_CHARS) || null, durationMs: elapsed() };
  } catch (error) {
    return { statusCode: null, error: describe(error, options.timeoutMs), excerpt: null, durationMs: elapsed() };
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof TargetRefused) return `refused: the URL ${error.message}`;
  const name = (error as Error)?.name;
  if (name === "TimeoutError" || name === "AbortError") return `timed out after ${timeoutMs} ms`;
  return `connection failed: ${String((error as Error)?.message ?? error).slice(0, 200)}`;
}
