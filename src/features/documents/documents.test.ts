// Documents against both storage drivers: the same stories, disk and S3.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { call, expectErrorShape, makeApp, signupTenant, type SignedUp } from "../../../test/helpers";
import { startS3, type S3Fixture } from "../../../test/s3";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
const randomBytes = (size: number) => {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65_536)));
  return bytes;
};

function form(bytes: Uint8Array | string, filename: string, type = "application/octet-stream", fields: Record<string, string> = {}) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  data.append("file", new Blob([bytes as BlobPart], { type }), filename);
  return data;
}

/** A multipart body written by hand, for filenames FormData would escape. */
function rawMultipart(disposition: string, bytes: Uint8Array) {
  const boundary = `----aggios${crypto.randomUUID()}`;
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  return { body: new Blob([head, bytes as BlobPart, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

const S3_PORT = 4500;
const DISK_DIR = resolve(`./data/test-storage-${process.pid}`);
let s3: S3Fixture;

beforeAll(async () => {
  s3 = await startS3(S3_PORT);
});
afterAll(async () => {
  await s3?.close();
  await rm(DISK_DIR, { recursive: true, force: true });
});

for (const driver of ["disk", "s3"] as const) {
  describe(`documents on ${driver} storage`, () => {
    let target: ReturnType<typeof makeApp>;
    let small: ReturnType<typeof makeApp>;
    const bucket = `docs-${driver}-${process.pid}`;

    beforeAll(() => {
      const env: Record<string, string> = driver === "s3" ? { ...s3.env, S3_BUCKET: bucket } : { STORAGE_DRIVER: "disk", STORAGE_DIR: DISK_DIR };
      target = makeApp(env);
      small = makeApp({ ...env, MAX_UPLOAD_MB: "1" });
    });

    const as = (who: SignedUp) => ({ host: who.host, token: who.accessToken });

    async function upload(who: SignedUp, body: FormData | Blob, app = target, headers: Record<string, string> = {}) {
      return call(app, "POST", "/api/documents", { ...as(who), rawBody: body, headers });
    }

    /** Objects (and temporary files) stored for a tenant, whatever the driver. */
    async function storedFor(tenantId: string): Promise<string[]> {
      if (driver === "s3") return s3.list(bucket, `${tenantId}/`);
      return readdir(join(DISK_DIR, tenantId), { recursive: true }).then((names) => names.filter((name) => name !== "documents"), () => []);
    }

    async function rowsFor(who: SignedUp) {
      return target.deps.db.withTenant(who.tenant.id, (tx) => tx`select id from documents where tenant_id = ${who.tenant.id}`);
    }

    test("round trip: the bytes come back equal, with the right size and sha256", async () => {
      const owner = await signupTenant(target);
      const bytes = randomBytes(6 * 1024 * 1024 + 123); // more than one S3 part
      const created = await upload(owner, form(bytes, "report.bin"));
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ filename: "report.bin", content_type: "application/octet-stream", size: bytes.length, sha256: sha256(bytes), client_id: null });
      expect(Object.keys(created.json).sort()).toEqual(["client_id", "content_type", "created_at", "filename", "id", "sha256", "size"]);

      const response = await target.app.handle(new Request(`http://${owner.host}/api/documents/${created.json.id}/download`, { headers: { host: owner.host, authorization: `Bearer ${owner.accessToken}` } }));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="report.bin"; filename*=UTF-8''report.bin`);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-request-id")).toBeString();
      const downloaded = new Uint8Array(await response.arrayBuffer());
      expect(downloaded.length).toBe(bytes.length);
      expect(sha256(downloaded)).toBe(sha256(bytes));

      const read = await call(target, "GET", `/api/documents/${created.json.id}`, as(owner));
      expect(read.json).toEqual(created.json);
      const list = await call(target, "GET", "/api/documents", as(owner));
      expect(list.json.data.map((d: any) => d.id)).toEqual([created.json.id]);
      expect(await storedFor(owner.tenant.id)).toHaveLength(1);

      expect((await call(target, "DELETE", `/api/documents/${created.json.id}`, as(owner))).status).toBe(204);
      expect((await call(target, "GET", `/api/documents/${created.json.id}`, as(owner))).status).toBe(404);
      expect(await storedFor(owner.tenant.id)).toEqual([]);
    });

    test("content type comes from the bytes for images and PDF, never from the client's claim", async () => {
      const owner = await signupTenant(target);
      const typeOf = async (bytes: Uint8Array | string, declared: string) => (await upload(owner, form(bytes, "x", declared))).json.content_type;
      expect(await typeOf(PNG, "text/html")).toBe("image/png");
      expect(await typeOf("%PDF-1.7\n%âãÏÓ", "application/octet-stream")).toBe("application/pdf");
      expect(await typeOf("<script>alert(1)</script>", "text/html")).toBe("application/octet-stream");
      expect(await typeOf("<svg onload=alert(1)>", "image/svg+xml")).toBe("application/octet-stream");
      expect(await typeOf("not really a png", "image/png")).toBe("application/octet-stream");
      expect(await typeOf("a,b\n1,2\n", "text/csv")).toBe("text/csv");
      expect(await typeOf("", "text/plain")).toBe("text/plain");
    });

    test("over MAX_UPLOAD_MB is 413 and leaves no row and no object", async () => {
      const owner = await signupTenant(small);
      const bytes = randomBytes(1024 * 1024 + 1);
      const declared = await upload(owner, form(bytes, "big.bin"), small);
      expect(declared.status).toBe(413);
      expectErrorShape(declared.json, "payload_too_large");
      // Without Content-Length the limit is enforced while streaming.
      const encoded = new Response(form(bytes, "big.bin"));
      const contentType = encoded.headers.get("content-type")!;
      const stream = new Response(new Uint8Array(await encoded.arrayBuffer())).body!;
      const chunked = await small.app.handle(
        new Request(`http://${owner.host}/api/documents`, {
          method: "POST",
          headers: { host: owner.host, authorization: `Bearer ${owner.accessToken}`, "content-type": contentType },
          body: stream,
        }),
      );
      expect(chunked.status).toBe(413);
      expect(await rowsFor(owner)).toHaveLength(0);
      expect(await storedFor(owner.tenant.id)).toEqual([]);
      const exact = await upload(owner, form(randomBytes(1024 * 1024), "exact.bin"), small);
      expect(exact.status).toBe(201);
    });

    test("hostile and unicode filenames are stored and served safely", async () => {
      const owner = await signupTenant(target);
      const cases: [string, string][] = [
        ["../../etc/passwd", "passwd"],
        ["..\\..\\windows\\system.ini", "system.ini"],
        ["a\r\nb.pdf", "ab.pdf"],
        ["Relatório — 日本語 ✓.pdf", "Relatório — 日本語 ✓.pdf"],
        ["invoice\u202Efdp.exe", "invoicefdp.exe"],
        ["..", "file"],
      ];
      for (const [sent, stored] of cases) {
        const created = await upload(owner, form("%PDF-1.4 hello", sent));
        expect(created.status).toBe(201);
        expect(created.json.filename).toBe(stored);
        const response = await target.app.handle(new Request(`http://${owner.host}/api/documents/${created.json.id}/download`, { headers: { host: owner.host, authorization: `Bearer ${owner.accessToken}` } }));
        const disposition = response.headers.get("content-disposition")!;
        expect(disposition).not.toMatch(/[\r\n]/);
        expect(disposition.startsWith("attachment; filename=\"")).toBe(true);
        expect(/filename="([\x20-\x7e]*)"/.exec(disposition)![1]).not.toMatch(/["\\]/);
        expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe(stored);
        expect(await response.text()).toBe("%PDF-1.4 hello");
      }
      // Quotes and CR/LF written raw into the multipart header.
      for (const disposition of ['filename="a\\"b.pdf"', 'filename="x\rInjected: 1.pdf"']) {
        const raw = rawMultipart(disposition, new TextEncoder().encode("%PDF-1.4"));
        const created = await upload(owner, raw.body, target, { "content-type": raw.contentType });
        expect([201, 400, 422]).toContain(created.status);
        if (created.status === 201) expect(created.json.filename).not.toMatch(/[\r\n]/);
      }
      const keys = await storedFor(owner.tenant.id);
      for (const key of keys) expect(key).toMatch(driver === "s3" ? new RegExp(`^${owner.tenant.id}/documents/[0-9a-f-]{36}$`) : /^documents\/[0-9a-f-]{36}$/);
    });

    test("concurrent uploads each land intact", async () => {
      const owner = await signupTenant(target);
      const files = Array.from({ length: 8 }, (_, index) => randomBytes(200_000 + index * 1000));
      const results = await Promise.all(files.map((bytes, index) => upload(owner, form(bytes, `part-${index}.bin`))));
      expect(results.map((result) => result.status)).toEqual(files.map(() => 201));
      expect(new Set(results.map((result) => result.json.id)).size).toBe(8);
      for (const [index, result] of results.entries()) {
        expect(result.json.sha256).toBe(sha256(files[index]!));
        const download = await call(target, "GET", `/api/documents/${result.json.id}/download`, as(owner));
        expect(download.status).toBe(200);
      }
      expect(await storedFor(owner.tenant.id)).toHaveLength(8);
    });

    test("a failed database write removes the stored object", async () => {
      const owner = await signupTenant(target);
      const foreign = await signupTenant(target);
      const theirs = await call(target, "POST", "/api/clients", { ...as(foreign), body: { name: "Not yours" } });
      const refused = await upload(owner, form("hello", "a.txt", "text/plain", { client_id: theirs.json.id }));
      expect(refused.status).toBe(422);
      expect((await upload(owner, form("hello", "a.txt", "text/plain", { client_id: "nope" }))).status).toBe(422);
      const db = target.deps.db;
      const original = db.withTenant;
      db.withTenant = (() => Promise.reject(Object.assign(new Error("connection closed"), { code: "CONNECTION_CLOSED" }))) as typeof original;
      try {
        const failed = await upload(owner, form("hello", "a.txt"));
        expect(failed.status).toBe(503);
      } finally {
        db.withTenant = original;
      }
      expect(await rowsFor(owner)).toHaveLength(0);
      expect(await storedFor(owner.tenant.id)).toEqual([]);
    });

    test("another tenant's document ids answer 404 and its object cannot be reached", async () => {
      const tenantA = await signupTenant(target);
      const tenantB = await signupTenant(target);
      const created = await upload(tenantA, form("secret plans", "plans.txt", "text/plain"));
      const id = created.json.id;
      for (const [method, path] of [["GET", `/api/documents/${id}`], ["GET", `/api/documents/${id}/download`], ["DELETE", `/api/documents/${id}`]] as const) {
        const response = await call(target, method, path, as(tenantB));
        expect(response.status).toBe(404);
        expect(response.text).not.toContain("secret plans");
      }
      for (const path of [`/api/documents/${tenantA.tenant.id}/documents/${id}/download`, `/api/documents/${encodeURIComponent(`${tenantA.tenant.id}/documents/${id}`)}/download`]) {
        const response = await call(target, "GET", path, as(tenantB));
        expect([404, 422]).toContain(response.status);
        expect(response.text).not.toContain("secret plans");
      }
      expect((await call(target, "GET", "/api/documents", as(tenantB))).json.data).toEqual([]);
      expect((await call(target, "GET", `/api/documents?client_id=${crypto.randomUUID()}`, as(tenantB))).json.data).toEqual([]);
      const still = await call(target, "GET", `/api/documents/${id}/download`, as(tenantA));
      expect(still.text).toBe("secret plans");
    });

    test("upload, download and delete each leave one audit row", async () => {
      const owner = await signupTenant(target);
      const client = await call(target, "POST", "/api/clients", { ...as(owner), body: { name: "Initech" } });
      const created = await upload(owner, form("tps report", "tps.txt", "text/plain", { client_id: client.json.id }));
      expect(created.json.client_id).toBe(client.json.id);
      const byClient = await call(target, "GET", `/api/documents?client_id=${client.json.id}`, as(owner));
      expect(byClient.json.data.map((d: any) => d.id)).toEqual([created.json.id]);
      await call(target, "GET", `/api/documents/${created.json.id}/download`, as(owner));
      await call(target, "DELETE", `/api/documents/${created.json.id}`, as(owner));
      for (const action of ["documents.upload", "documents.download", "documents.delete"]) {
        const rows = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select * from audit_log where tenant_id = ${owner.tenant.id} and action = ${action}`);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ actor_type: "user", actor_id: owner.user.id, target_type: "document", target_id: created.json.id });
      }
    });
  });
}

describe("S3 outages", () => {
  test("S3 stopped mid-upload: a clean 503 and no row", async () => {
    const bucket = `outage-${process.pid}`;
    const target = makeApp({ ...s3.env, S3_BUCKET: bucket });
    const owner = await signupTenant(target);
    await target.deps.storage.check();
    const boundary = "----aggiosoutage";
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 0) controller.enqueue(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`));
        if (sent === 6) await s3.stop(); // after the first 5 MiB part went out
        if (sent >= 12) {
          controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
          controller.close();
          return;
        }
        controller.enqueue(new Uint8Array(1024 * 1024).fill(sent));
        sent++;
        await Bun.sleep(5);
      },
    });
    try {
      const response = await target.app.handle(
        new Request(`http://${owner.host}/api/documents`, {
          method: "POST",
          headers: { host: owner.host, authorization: `Bearer ${owner.accessToken}`, "content-type": `multipart/form-data; boundary=${boundary}` },
          body,
        }),
      );
      expect(response.status).toBe(503);
      const json = await response.json();
      expectErrorShape(json, "service_unavailable");
      expect(json.error.message).toContain("storage");
      const ready = await call(target, "GET", "/ready");
      expect(ready.status).toBe(503);
      expect(ready.json.error.details.storage).toBe("down");
    } finally {
      await s3.start();
    }
    const rows = await target.deps.db.withTenant(owner.tenant.id, (tx) => tx`select id from documents where tenant_id = ${owner.tenant.id}`);
    expect(rows).toHaveLength(0);
    expect(await s3.list(bucket, `${owner.tenant.id}/`)).toEqual([]);
    expect((await call(target, "GET", "/ready")).status).toBe(200);
  });
});
