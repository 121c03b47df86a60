// `Idempotency-Key` on creates (SPEC §5), as a route option: `idempotent: true`.
//
// A network failure leaves an integration unsure whether its POST happened;
// retrying with the same key must not create a second object. Within 24 h the
// same key and the same request get the first response again (with
// `Idempotent-Replayed: true`); the same key with another request is a 409.
// A claim taken with SET NX makes concurrent duplicates safe: exactly one
// runs, the others get 409 `idempotency_in_progress` and may retry.
//
// Keys are scoped to the tenant and the credential (API key or user), so two
// integrations can never collide, or read each other's responses.
// Use after the `auth` macro on the same route: it needs the resolved actor.
import { Elysia } from "elysia";
import type Redis from "ioredis";
import type { Actor } from "../identity/auth";
import { BadRequest, Conflict } from "./errors";

const REPLAY_SECONDS = 24 * 60 * 60;
// Longer than any request may run (statement timeout 10 s, uploads aside); a
// crashed replica's claim frees itself after this.
const CLAIM_SECONDS = 120;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

type Stored =
  | { state: "running"; fingerprint: string }
  | { state: "done"; fingerprint: string; status: number; body: unknown };

type Claim = { redisKey: string; fingerprint: string };
const claims = new WeakMap<Request, Claim>();

const sha256 = (data: string | ArrayBuffer) => new Bun.CryptoHasher("sha256").update(data).digest("hex");

/** A digest of the request: method, path and body (uploaded files by content). */
async function fingerprintOf(request: Request, body: unknown): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(`${request.method} ${new URL(request.url).pathname}\n`);
  const visit = async (value: unknown): Promise<void> => {
    if (value instanceof Blob) {
      hasher.update(`blob:${(value as File).name ?? ""}:${value.type}:${value.size}:`);
      hasher.update(await value.arrayBuffer());
    } else if (Array.isArray(value)) {
      hasher.update("[");
      for (const item of value) await visit(item);
      hasher.update("]");
    } else if (value && typeof value === "object") {
      hasher.update("{");
      for (const key of Object.keys(value).sort()) {
        hasher.update(JSON.stringify(key));
        await visit((value as Record<string, unknown>)[key]);
      }
      hasher.update("}");
    } else {
      hasher.update(JSON.stringify(value) ?? "undefined");
    }
  };
  await visit(body);
  return hasher.digest("hex");
}

function credentialOf(actor: Actor) {
  return actor.kind === "api_key" ? `key:${actor.keyId}` : `user:${actor.userId}`;
}

export type Replay = { status: number; body: unknown };

/**
 * Takes the claim for `fingerprint`, or answers what the key already holds:
 * the first response again (a Replay), or a 409. Undefined: go ahead.
 */
async function claimOrReplay(redis: Redis, request: Request, actor: Actor, header: string, fingerprint: string): Promise<Replay | undefined> {
  if (!KEY_PATTERN.test(header)) throw BadRequest("invalid_idempotency_key", "Idempotency-Key must be 1–255 printable ASCII characters.");
  const redisKey = `idem:${actor.tenantId}:${credentialOf(actor)}:${sha256(header)}`;
  const running: Stored = { state: "running", fingerprint };
  if ((await redis.set(redisKey, JSON.stringify(running), "EX", CLAIM_SECONDS, "NX")) === "OK") {
    claims.set(request, { redisKey, fingerprint });
    return undefined;
  }
  const raw = await redis.get(redisKey);
  const stored = raw ? (JSON.parse(raw) as Stored) : running;
  if (stored.fingerprint !== fingerprint) {
    throw Conflict("idempotency_key_reused", "This Idempotency-Key was used with a different request.");
  }
  if (stored.state === "running") {
    throw Conflict("idempotency_in_progress", "A request with this Idempotency-Key is still being processed; retry shortly.");
  }
  return { status: stored.status, body: stored.body };
}

/**
 * For a route that streams its body (uploads, `idempotent: "streamed"`): the
 * claim is taken once the body's digest is known, so the same key with other
 * bytes is a 409 rather than a replay of the first file.
 */
export function claimStreamed(redis: Redis, request: Request, actor: Actor, bodyDigest: string): Promise<Replay | undefined> {
  const header = request.headers.get("idempotency-key");
  if (header === null) return Promise.resolve(undefined);
  return claimOrReplay(redis, request, actor, header, sha256(`${request.method} ${new URL(request.url).pathname}\n${bodyDigest}`));
}

export function idempotency(redis: Redis) {
  return new Elysia({ name: "idempotency" }).macro({
    idempotent: (mode: boolean | "streamed") => ({
      detail: { "x-aggios-idempotent": Boolean(mode) } as Record<string, unknown>,
      async beforeHandle(context) {
        const { request, body, set } = context;
        const header = request.headers.get("idempotency-key");
        const actor = (context as unknown as { actor?: Actor }).actor;
        // A streamed route claims from its handler (claimStreamed); the hooks below still finish it.
        if (mode !== true || header === null || !actor) return;
        const replay = await claimOrReplay(redis, request, actor, header, await fingerprintOf(request, body));
        if (!replay) return;
        set.status = replay.status;
        set.headers["Idempotent-Replayed"] = "true";
        return replay.body as Record<string, unknown>;
      },
      async afterHandle({ request, response, set }) {
        const claim = claims.get(request);
        if (!claim) return;
        claims.delete(request);
        if (response instanceof Response) {
          await redis.del(claim.redisKey); // not replayable; let a retry run again
          return;
        }
        const status = typeof set.status === "number" ? set.status : 200;
        const done: Stored = { state: "done", fingerprint: claim.fingerprint, status, body: response };
        await redis.set(claim.redisKey, JSON.stringify(done), "EX", REPLAY_SECONDS);
      },
      async error({ request }) {
        // A failed attempt is not remembered: the client's retry runs afresh.
        const claim = claims.get(request);
        if (!claim) return;
        claims.delete(request);
        await redis.del(claim.redisKey);
      },
    }),
  });
}

export type IdempotencyPlugin = ReturnType<typeof idempotency>;
