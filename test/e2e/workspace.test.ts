// Browser story for the agency workspace: sign in → create a client (live
// search finds it) → upload a file on its page with the progress bar showing →
// download it → delete it → the audit log shows each step. Real server on its
// own port, Debian's Chromium; any console error fails the test. Screenshots
// go to test-artifacts/e2e-workspace/ (git-ignored).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { chromium, type Browser, type Page } from "playwright-core";
import { startServer, type RunningServer } from "../server";

const PORT = 3150;
const ARTIFACTS = "test-artifacts/e2e-workspace";
const CHROMIUM = "/usr/bin/chromium";
const PASSWORD = "correct horse battery staple";

let server: RunningServer;
let browser: Browser;
const consoleErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer(PORT, { TRUST_PROXY: "false", MAX_UPLOAD_MB: "50" });
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--headless", "--disable-background-networking", "--disable-gpu", "--disable-quic", "--no-first-run"],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

test(
  "create a client, upload a file with a visible progress bar, download it, delete it",
  async () => {
    const subdomain = `ws${crypto.randomUUID().slice(0, 8)}`;
    const email = `owner.${subdomain}@example.test`;
    const signup = await fetch(`http://localhost:${PORT}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": `10.77.${Math.floor(Math.random() * 250)}.9` },
      body: JSON.stringify({ agency_name: "Workspace Agency", subdomain, email, password: PASSWORD, first_name: "Wanda", last_name: "Works" }),
    });
    expect(signup.status).toBe(201);
    const origin = `http://${subdomain}.localhost:${PORT}`;

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} @ ${message.location().url}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
    page.on("dialog", (dialog) => void dialog.accept());

    // Sign in on the tenant host.
    await page.goto(`${origin}/login`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${origin}/`);

    // Clients: create one, with a name that must be escaped.
    await page.goto(`${origin}/clients`);
    await page.getByLabel("Name", { exact: true }).fill("Acme <Rockets> & Co");
    await page.getByLabel("Company", { exact: true }).fill("Acme Holdings");
    await page.getByLabel("Email", { exact: true }).fill("wile@acme.example");
    await page.getByRole("button", { name: "Add client" }).click();
    await page.getByText("Acme <Rockets> & Co was added.").waitFor();
    await page.getByRole("link", { name: "Acme <Rockets> & Co", exact: true }).waitFor();
    await page.getByRole("button", { name: "Add client" }).scrollIntoViewIfNeeded();
    await shot(page, "01-clients");

    // Live search narrows the list without a page load.
    await page.getByLabel("Search name, email or company").fill("no such client");
    await page.getByText("No clients match.").waitFor();
    await page.getByLabel("Search name, email or company").fill("holdings");
    await page.getByRole("link", { name: "Acme <Rockets> & Co", exact: true }).waitFor();
    await shot(page, "02-search");

    // Its page: upload by the uploader, progress bar visible while it goes.
    await page.getByRole("link", { name: "Acme <Rockets> & Co", exact: true }).click();
    await page.getByRole("heading", { name: "Acme <Rockets> & Co" }).waitFor();
    const bytes = new Uint8Array(12 * 1024 * 1024);
    for (let offset = 0; offset < bytes.length; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
    // Slow the upload a little so the progress bar is observable, as on a real network.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 8 * 1024 * 1024 });
    await page.locator("#upload-input").setInputFiles({ name: "Plan ünicode \"v2\".bin", mimeType: "application/octet-stream", buffer: Buffer.from(bytes) });
    const progress = page.locator("#upload-progress");
    await progress.waitFor({ state: "visible" });
    await page.waitForFunction(() => Number((document.querySelector("#upload-progress") as HTMLProgressElement | null)?.value) > 0);
    await shot(page, "03-uploading");
    // Throttling is for the upload only: lift it before the list refreshes.
    await page.waitForFunction(() => Number((document.querySelector("#upload-progress") as HTMLProgressElement | null)?.value) >= 100, undefined, { timeout: 30_000 });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.getByText("Uploaded 1 file.").waitFor({ timeout: 30_000 }).catch(async (error) => {
      await shot(page, "03-upload-failed");
      throw error;
    });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const item = page.locator('[data-document="Plan ünicode \\"v2\\".bin"]');
    await item.waitFor();
    await shot(page, "04-uploaded");

    // Download: same bytes, as an attachment with the right name.
    const [download] = await Promise.all([page.waitForEvent("download"), item.getByRole("link", { name: /Download/ }).click()]);
    // Chromium itself replaces the quotes (not allowed in file names on every OS).
    expect(download.suggestedFilename()).toMatch(/^Plan ünicode .v2.\.bin$/);
    const downloaded = new Uint8Array(await readFile((await download.path())!));
    expect(downloaded.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(downloaded), Buffer.from(bytes))).toBe(0);

    // Delete (confirmation accepted): the item disappears.
    await item.getByRole("button", { name: /Delete/ }).click();
    await item.waitFor({ state: "detached" });
    await page.getByText("No documents yet.").waitFor();
    await shot(page, "05-deleted");

    // The documents page and the audit log tell the story.
    await page.goto(`${origin}/documents`);
    await page.getByText("0 files").waitFor();
    await page.goto(`${origin}/audit`);
    for (const action of ["clients.create", "documents.upload", "documents.download", "documents.delete"]) {
      await page.getByRole("cell", { name: action, exact: true }).first().waitFor();
    }
    await shot(page, "06-audit");

    // Phone width: the clients page still reads.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${origin}/clients`);
    await shot(page, "07-clients-phone");

    await context.close();
    expect(consoleErrors).toEqual([]);
  },
  120_000,
);
