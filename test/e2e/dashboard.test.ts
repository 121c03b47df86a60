// Browser story against the real server on *.localhost: sign up → land on the
// new subdomain signed in → invite → accept in a second browser → the member
// cannot open admin pages → the owner promotes them → logout ends the session
// → the owner turns on two-factor sign-in and signs in again with a code.
// Screenshots of every page go to test-artifacts/e2e/ (git-ignored).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import Redis from "ioredis";
import * as OTPAuth from "otpauth";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const PORT = 3101;
const BASE = `http://localhost:${PORT}`;
const ARTIFACTS = "test-artifacts/e2e";
const CHROMIUM = "/usr/bin/chromium";
const PASSWORD = "correct horse battery staple";

let server: ReturnType<typeof Bun.spawn>;
let browser: Browser;
const consoleErrors: string[] = [];
// Errors a step expects (a 403 page is one), matched and then removed.
const expectedErrors: RegExp[] = [];

async function waitForServer() {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(100);
  }
  throw new Error("server did not start");
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Sign-ups from 127.0.0.1 are rate-limited per hour; earlier runs must not count.
  const redis = new Redis(process.env.REDIS_URL!);
  const keys = await redis.keys("rl:signup:ip:*");
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  server = Bun.spawn(["bun", "src/main.ts"], { env: { ...process.env, PORT: String(PORT), LOG_LEVEL: "warn", TRUST_PROXY: "false" }, stdout: "inherit", stderr: "inherit" });
  await waitForServer();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--headless", "--disable-background-networking", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.kill();
  await server?.exited;
});

async function newContext(viewport = { width: 1280, height: 860 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  context.on("page", watch);
  return context;
}

function watch(page: Page) {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = `${message.text()} @ ${message.location().url}`;
    const index = expectedErrors.findIndex((pattern) => pattern.test(text));
    if (index >= 0) expectedErrors.splice(index, 1);
    else consoleErrors.push(text);
  });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
}

/** What the authenticator app shows `offsetSteps` × 30 s from now (each step is accepted once). */
const totp = (secret: string, offsetSteps = 0) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

test(
  "sign up, invite, accept, role checks, promotion, logout and two-factor sign-in in real browsers",
  async () => {
    const subdomain = `e2e${crypto.randomUUID().slice(0, 8)}`;
    const tenantOrigin = `http://${subdomain}.localhost:${PORT}`;
    const ownerEmail = `owner.${subdomain}@example.test`;
    const memberEmail = `member.${subdomain}@example.test`;

    // 1. The landing page and sign-up on the apex.
    const ownerContext = await newContext();
    const owner = await ownerContext.newPage();
    await owner.goto(`${BASE}/`);
    await expect(owner.getByRole("heading", { level: 1 })).toBeTruthy();
    await shot(owner, "01-landing");
    await owner.getByRole("link", { name: "Create your agency" }).first().click();
    await owner.getByLabel("Agency name").fill("Studio <Norte> & Co");
    await owner.getByLabel("Workspace address").fill(subdomain);
    await owner.locator("#subdomain-status", { hasText: "is available" }).waitFor();
    await owner.getByLabel("Your first name").fill("Olivia");
    await owner.getByLabel("Your last name").fill("Owner");
    await owner.getByLabel("Work email").fill(ownerEmail);
    await owner.getByLabel("Password").fill(PASSWORD);
    await shot(owner, "02-signup");
    await owner.getByRole("button", { name: "Create agency" }).click();

    // 2. Landed on the new subdomain, signed in, through the one-time hand-off.
    await owner.waitForURL(`${tenantOrigin}/`);
    await owner.getByRole("heading", { name: "Welcome back, Olivia" }).waitFor();
    expect(await owner.locator("nav[aria-label=Main]").innerText()).toContain("Studio <Norte> & Co");
    await shot(owner, "03-overview");

    // 3. Invite a member; the copyable link appears.
    await owner.goto(`${tenantOrigin}/team`);
    await owner.getByLabel("Email address").fill(memberEmail);
    await owner.getByRole("button", { name: "Send invitation" }).click();
    const linkInput = owner.locator("#invite-link");
    await linkInput.waitFor();
    const link = await linkInput.inputValue();
    expect(link).toStartWith(`${tenantOrigin}/invite/`);
    await shot(owner, "04-team-invited");

    // 4. The invitation is accepted in a second browser.
    const memberContext = await newContext({ width: 390, height: 844 });
    const member = await memberContext.newPage();
    await member.goto(link);
    await shot(member, "05-invitation");
    await member.getByLabel("First name").fill("Mia");
    await member.getByLabel("Last name").fill("Member");
    await member.getByLabel("Password").fill(PASSWORD);
    await member.getByRole("button", { name: "Accept invitation" }).click();
    await member.waitForURL(`${tenantOrigin}/`);
    await member.getByRole("heading", { name: "Welcome back, Mia" }).waitFor();
    await shot(member, "06-member-overview-phone");

    // 5. A member cannot open admin pages (and the nav does not offer them).
    await member.getByRole("button", { name: "Open navigation" }).click();
    await member.waitForTimeout(400); // the slide-in transition
    await shot(member, "07-member-nav-phone");
    expect(await member.locator("#sidebar").innerText()).not.toContain("Settings");
    expectedErrors.push(/403/);
    const refused = await member.goto(`${tenantOrigin}/settings`);
    expect(refused?.status()).toBe(403);
    await shot(member, "08-member-settings-403");

    // 6. The owner promotes the member to admin (htmx, no reload).
    await owner.goto(`${tenantOrigin}/team`);
    const row = owner.locator(`li[data-member="${memberEmail}"]`);
    await row.getByLabel("Role of Mia Member").selectOption("admin");
    await row.getByRole("button", { name: "Change role" }).click();
    await owner.getByText("Mia Member is now an admin.").waitFor();
    await shot(owner, "09-team-promoted");

    // The member's session follows the new role at once.
    const allowed = await member.goto(`${tenantOrigin}/settings`);
    expect(allowed?.status()).toBe(200);
    await shot(member, "10-member-settings-phone");
    await member.goto(`${tenantOrigin}/account`);
    await shot(member, "11-account-phone");

    // Owner pages at desktop size, and the overview on a phone.
    await owner.goto(`${tenantOrigin}/settings`);
    await shot(owner, "12-settings");
    await owner.goto(`${tenantOrigin}/account`);
    await shot(owner, "13-account");
    await owner.setViewportSize({ width: 390, height: 844 });
    await owner.goto(`${tenantOrigin}/team`);
    await shot(owner, "14-team-phone");
    await owner.setViewportSize({ width: 1280, height: 860 });

    // 7. Logout ends the session: the old cookie opens nothing any more.
    const cookieBefore = (await memberContext.cookies(tenantOrigin)).find((cookie) => cookie.name === "aggios_session");
    expect(cookieBefore?.httpOnly).toBe(true);
    expect(cookieBefore?.sameSite).toBe("Lax");
    await member.goto(`${tenantOrigin}/`);
    await member.getByRole("button", { name: "Mia Member" }).click();
    await member.getByRole("menuitem", { name: "Sign out" }).click();
    await member.waitForURL(`${tenantOrigin}/login`);
    await shot(member, "15-login-after-logout");
    const replay = await fetch(`${tenantOrigin}/`, { headers: { cookie: `aggios_session=${cookieBefore!.value}` }, redirect: "manual" });
    expect(replay.status).toBe(303);
    expect(replay.headers.get("location")).toStartWith("/login");

    // The apex workspace finder sends a user to their workspace's sign-in.
    const finderContext = await newContext();
    const finder = await finderContext.newPage();
    await finder.goto(`${BASE}/login`);
    await shot(finder, "16-find-workspace");
    await finder.getByLabel("Workspace address").fill(subdomain);
    await finder.getByRole("button", { name: "Continue" }).click();
    await finder.waitForURL(`${tenantOrigin}/login`);
    await shot(finder, "17-tenant-login");

    // 8. The owner turns on two-factor sign-in (htmx swaps), signs out, and
    // signs in again with password and a code. Screenshots between swaps
    // leave style="" on inputs: htmx's settle step once copied it (a CSP error).
    await owner.goto(`${tenantOrigin}/account/two-factor`);
    await shot(owner, "18-two-factor-off");
    await owner.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    const secret = (await owner.locator("[data-secret]").innerText()).trim();
    await shot(owner, "19-two-factor-scan");
    await owner.getByLabel("Authentication code").fill(totp(secret, -1));
    await owner.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await owner.locator("[data-recovery-codes] li").first().waitFor();
    expect(await owner.locator("[data-recovery-codes] li").count()).toBe(10);
    await shot(owner, "20-two-factor-recovery-codes");
    await owner.getByRole("button", { name: "Olivia Owner" }).click();
    await owner.getByRole("menuitem", { name: "Sign out" }).click();
    await owner.waitForURL(`${tenantOrigin}/login`);
    await owner.getByLabel("Email").fill(ownerEmail);
    await owner.getByLabel("Password").fill(PASSWORD);
    await owner.getByRole("button", { name: "Sign in" }).click();
    await owner.getByRole("heading", { name: "Two-factor sign-in" }).waitFor();
    await shot(owner, "21-two-factor-challenge");
    await owner.getByLabel("Authentication code").fill(totp(secret));
    await owner.getByRole("button", { name: "Verify" }).click();
    await owner.waitForURL(`${tenantOrigin}/`);
    await owner.getByRole("heading", { name: "Welcome back, Olivia" }).waitFor();
    await shot(owner, "22-signed-in-with-code");

    await Promise.all([ownerContext.close(), memberContext.close(), finderContext.close()]);
    expect(expectedErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  },
  { timeout: 120_000 },
);
