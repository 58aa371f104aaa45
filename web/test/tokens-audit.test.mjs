// The Tokens and Audit pages in Debian's chromium (headless, driven by playwright-core) against a
// real `gantry serve`: a token created in the page works against the API and is listed without its
// secret; revoked in the page, the API refuses it; an admin action shows in the audit trail; a plain
// user sees no Audit link, is told the page is for admins, and is signed out gracefully after
// revoking the token their session stands on. Any console error fails the suite.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { resolve } from "node:path";
import { chromium } from "playwright-core";
import { startGateway } from "./gateway.mjs";

const here = new URL(".", import.meta.url).pathname;
const artifacts = process.env.GANTRY_BROWSER_ARTIFACTS ?? resolve(here, "../../.test-results/browser");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
// Generous: a busy machine only makes a passing wait longer.
const WAIT = 60_000;

describe("tokens and audit pages", { timeout: 600_000 }, () => {
  let gateway;
  let browser;
  const consoleErrors = [];

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    gateway = await startGateway({ sandboxClusters: 1 });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await gateway?.stop();
  });

  /** A fresh browser profile signed in with `token`, on the jobs page. */
  async function signedIn(token) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.goto(gateway.url + "/");
    await page.getByLabel("API token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Jobs" }).waitFor();
    return page;
  }

  /** GET path with a bearer token; the status and the body, whatever the status. */
  async function withBearer(token, path) {
    const response = await fetch(gateway.url + path, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.text() };
  }

  it("creates a token whose secret is shown once and works, and revokes it", async () => {
    const page = await signedIn(gateway.token);
    const nav = page.getByRole("navigation", { name: "Pages" });
    await nav.getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("heading", { name: "Tokens", level: 1 }).waitFor();
    // The admin's own token (the session's) is listed and marked.
    await page.locator("tr", { hasText: "(this session)" }).waitFor();

    await page.getByLabel("Description").fill("browser test token");
    await page.getByLabel("Expires in").selectOption({ label: "30 days" });
    await page.getByRole("button", { name: "Create token" }).click();
    const secretBox = page.getByLabel("Secret", { exact: true });
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    assert.match(secret, /\S{20,}/, "no secret shown");
    const heading = await page.getByRole("heading", { name: /^Token tok_[0-9a-f]{16} created$/ }).innerText();
    const id = heading.match(/tok_[0-9a-f]{16}/)[0];
    await page.getByText(/shown this once/).waitFor();

    // The secret works against the API, as its owner, and the list answers it without the secret.
    const mine = await withBearer(secret, "/api/v1/tokens");
    assert.equal(mine.status, 200, mine.body);
    const listed = JSON.parse(mine.body).items.find((t) => t.id === id) ?? assert.fail(`${id} not in ${mine.body}`);
    assert.equal(listed.user, "admin");
    assert.equal(listed.description, "browser test token");
    assert.ok(listed.expiresAt, "asked for 30 days, the token never expires");
    const days = (Date.parse(listed.expiresAt) - Date.parse(listed.createdAt)) / 86_400_000;
    assert.ok(Math.abs(days - 30) < 0.01, `expires after ${days} days, not 30`);
    assert.ok(!mine.body.includes(secret), "the list answered the secret");

    // In the page's list, without its secret.
    const row = page.locator(`tr[data-token="${id}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /browser test token/);
    assert.ok(!(await page.locator("table.tokens").innerText()).includes(secret), "the list shows the secret");
    await page.getByRole("button", { name: "Done, hide it" }).click();
    await secretBox.waitFor({ state: "detached" });
    assert.ok(!(await page.content()).includes(secret), "the secret is still in the page after hiding it");

    // Revoke it in the page (confirmed), then the API refuses it.
    const dialogs = [];
    page.once("dialog", (dialog) => { dialogs.push(dialog.message()); void dialog.accept(); });
    await page.getByRole("button", { name: `Revoke token ${id}` }).click();
    await row.waitFor({ state: "detached" });
    await page.getByText(`Revoked token ${id}.`).waitFor();
    assert.match(dialogs[0] ?? "", new RegExp(`Revoke ${id}\\?`));
    const refused = await withBearer(secret, "/api/v1/tokens");
    assert.equal(refused.status, 401, refused.body);
    // The admin's own session still works: it stands on another token.
    await page.locator("tr", { hasText: "(this session)" }).waitFor();
    await page.screenshot({ path: `${artifacts}/tokens.png`, fullPage: true });
    await page.context().close();
  });

  it("shows an admin action in the audit trail, with who and what, and filters it", async () => {
    const queue = `audited-${Date.now()}`;
    await gateway.api("/api/v1/queues", { method: "POST", body: JSON.stringify({ name: queue, weight: 2 }) });
    const page = await signedIn(gateway.token);
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { name: "Audit", level: 1 }).waitFor();
    const row = page.locator("table.audit tbody tr", { hasText: queue });
    await row.waitFor();
    const cells = await row.locator("td").allInnerTexts();
    assert.equal(cells[1], "admin", `who: ${cells}`);
    assert.equal(cells[2], "queue.create", `what: ${cells}`);
    assert.equal(cells[3], queue, `target: ${cells}`);
    // Newest first: the sign-in of this page came after the queue, so it is above it.
    const actions = await page.locator("table.audit tbody tr td:nth-child(3)").allInnerTexts();
    assert.ok(actions.indexOf("session.create") >= 0 && actions.indexOf("session.create") < actions.indexOf("queue.create"), `order: ${actions}`);

    // Filtered to a resource: only queue actions are left, and the URL keeps the filter.
    await page.getByLabel("Action or resource").fill("queue");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/\/audit\?action=queue$/);
    await page.locator("table.audit tbody tr td:nth-child(3)", { hasText: "session.create" }).waitFor({ state: "detached" });
    await row.waitFor();
    const filtered = await page.locator("table.audit tbody tr td:nth-child(3)").allInnerTexts();
    assert.ok(filtered.length > 0 && filtered.every((a) => a.startsWith("queue.")), `filtered: ${filtered}`);
    // An actor with no actions: the page says nothing matches.
    await page.getByLabel("Who").fill("nobody-at-all");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("Nothing in the audit trail matches.").waitFor();
    assert.equal(await page.locator("table.audit tbody tr").count(), 0);
    await page.screenshot({ path: `${artifacts}/audit.png`, fullPage: true });
    await page.context().close();
  });

  it("pages through the audit trail with its cursor", async () => {
    // More queue actions than one page (50) holds: the page shows 50, then the rest on "Load more".
    const prefix = `paged-${Date.now()}`;
    for (let i = 0; i < 55; i++) {
      await gateway.api("/api/v1/queues", { method: "POST", body: JSON.stringify({ name: `${prefix}-${i}` }) });
    }
    const page = await signedIn(gateway.token);
    await page.goto(`${gateway.url}/audit?action=queue.create`);
    const rows = page.locator("table.audit tbody tr", { hasText: prefix });
    await rows.nth(49).waitFor();
    assert.equal(await page.locator("table.audit tbody tr").count(), 50);
    await page.getByRole("button", { name: "Load more" }).click();
    await rows.nth(54).waitFor();
    const targets = await page.locator("table.audit tbody tr", { hasText: prefix }).locator("td:nth-child(4)").allInnerTexts();
    assert.deepEqual(targets, Array.from({ length: 55 }, (_, i) => `${prefix}-${54 - i}`), "not newest first, or a row twice");
    await page.context().close();
  });

  it("shows a plain user no Audit link, tells them it is for admins, and signs them out after revoking their own session's token", async () => {
    const name = `plain${Date.now()}`;
    const user = await gateway.api("/api/v1/users", { method: "POST", body: JSON.stringify({ name, role: "user" }) });
    const page = await signedIn(user.token);
    assert.match(await page.locator("#who").innerText(), new RegExp(`${name} \\(user\\)`));
    const nav = page.getByRole("navigation", { name: "Pages" });
    await nav.getByRole("link", { name: "Tokens" }).waitFor();
    assert.equal(await nav.getByRole("link", { name: "Audit" }).count(), 0, "a user sees the Audit link");

    await page.goto(`${gateway.url}/audit`);
    await page.getByRole("heading", { name: "Audit", level: 1 }).waitFor();
    await page.getByRole("alert").filter({ hasText: "Admins only" }).waitFor();
    assert.equal(await page.locator("table.audit").count(), 0);

    // Their tokens: only their own first token, marked as this session's; revoking it ends the session.
    await nav.getByRole("link", { name: "Tokens" }).click();
    const row = page.locator(`tr[data-token="${user.id}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /this session/);
    assert.equal(await page.locator("table.tokens tbody tr").count(), 1);
    const dialogs = [];
    page.once("dialog", (dialog) => { dialogs.push(dialog.message()); void dialog.accept(); });
    await page.getByRole("button", { name: `Revoke token ${user.id}` }).click();
    await page.getByLabel("API token").waitFor();
    assert.match(dialogs[0] ?? "", /signs you out/);
    assert.match(await page.getByRole("status").innerText(), new RegExp(`Signed out: you revoked ${user.id}`));
    const refused = await withBearer(user.token, "/api/v1/tokens");
    assert.equal(refused.status, 401, refused.body);
    // A reload does not bring the session back: the gateway refuses the cookie too.
    await page.reload();
    await page.getByLabel("API token").waitFor();
    await page.context().close();
  });

  it("logged no console errors", () => {
    assert.deepEqual(consoleErrors, []);
  });
});
