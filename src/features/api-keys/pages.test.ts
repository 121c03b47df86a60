// The API keys section of /settings: create (key shown once), list, revoke.
import { describe, expect, test } from "bun:test";
import { addMember, signIn, visit } from "../../../test/browser-session";
import { call, makeApp, signupTenant } from "../../../test/helpers";

const target = makeApp();
const keyIn = (html: string) => /id="new-api-key"[^>]*value="(agk_[^"]+)"|value="(agk_[^"]+)"[^>]*id="new-api-key"/.exec(html)?.slice(1).find(Boolean);

describe("API keys on /settings", () => {
  test("create shows the key once; it works; later pages show only its prefix; revoke kills it", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const created = await visit(target, browser, "POST", "/settings/api-keys", { form: { _csrf: browser.csrf!, name: "Zapier sync", role: "member", expires_in: "30" }, headers: { "hx-request": "true" } });
    expect(created.status).toBe(200);
    const key = keyIn(created.text)!;
    expect(key).toMatch(/^agk_/);
    expect((await call(target, "GET", "/api/clients", { host: owner.host, token: key })).status).toBe(200);
    const settings = await visit(target, browser, "GET", "/settings");
    expect(settings.text).toContain("Zapier sync");
    expect(settings.text).not.toContain(key);
    expect(settings.text).toContain(`${key.slice(0, 8)}`);
    expect(settings.text).toMatch(/last used <span>[^<]*UTC<\/span>/);
    const id = /data-api-key="([0-9a-f-]{36})"/.exec(settings.text)![1]!;
    const revoked = await visit(target, browser, "POST", `/settings/api-keys/${id}/revoke`, { form: { _csrf: browser.csrf! } });
    expect(revoked.status).toBe(303);
    expect((await visit(target, browser, "GET", "/settings")).text).toContain("API key revoked.");
    expect((await call(target, "GET", "/api/clients", { host: owner.host, token: key })).status).toBe(401);
  });

  test("validation on the field; members cannot create or revoke; another tenant's key id is 404", async () => {
    const owner = await signupTenant(target);
    const browser = await signIn(target, owner);
    const empty = await visit(target, browser, "POST", "/settings/api-keys", { form: { _csrf: browser.csrf!, name: "", role: "member", expires_in: "never" } });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("is required");
    const member = await signIn(target, await addMember(target, owner, "member"));
    expect((await visit(target, member, "POST", "/settings/api-keys", { form: { _csrf: member.csrf!, name: "x", role: "member" } })).status).toBe(403);
    const other = await signupTenant(target);
    const theirs = await call(target, "POST", "/api/api-keys", { host: other.host, token: other.accessToken, body: { name: "theirs" } });
    expect((await visit(target, browser, "POST", `/settings/api-keys/${theirs.json.id}/revoke`, { form: { _csrf: browser.csrf! } })).status).toBe(404);
    expect((await call(target, "GET", "/api/clients", { host: other.host, token: theirs.json.key })).status).toBe(200);
  });
});
