// The Spark UI on its own origin, in Debian's chromium against a real `gantry serve --sandbox-clusters 1`:
// a script planted in a sandbox driver's UI (what a job's author controls) runs while the viewer is
// signed in to the dashboard, and reports what it could reach in the page's title. It must not find the
// dashboard's token nor act on the API as the viewer, though the browser sends the viewer's session
// cookie (HttpOnly, SameSite=Strict: the UI origin is the same site) with its requests to the API. Also the notebook case: a signed link clicked on a
// page of another site opens the UI (the SameSite=Strict cookie is set and sent).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdir } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { resolve } from "node:path";
import { chromium } from "playwright-core";
import { startGateway } from "./gateway.mjs";

const here = new URL(".", import.meta.url).pathname;
const artifacts = process.env.GANTRY_BROWSER_ARTIFACTS ?? resolve(here, "../../.test-results/browser");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const WAIT = 30_000;

// What a job's author puts in its driver's UI: it tries every way to the dashboard's token and to the
// API with the viewer's rights, and writes what it found into document.title.
const planted = (api) => `(async () => {
  const api = ${JSON.stringify(api)};
  const id = location.pathname.split("/")[4];
  const grab = (f) => { try { return f(); } catch (e) { return "threw " + e.name; } };
  const found = { origin: location.origin, referrer: document.referrer };
  found.localStorage = grab(() => JSON.stringify({ ...localStorage }));
  found.sessionStorage = grab(() => JSON.stringify({ ...sessionStorage }));
  found.cookie = grab(() => document.cookie);
  found.opener = grab(() => (window.opener === null ? "null" : "present"));
  try {
    const r = await fetch(api + "/api/v1/jobs", { credentials: "include" });
    found.apiList = r.status + " " + (await r.text()).slice(0, 200);
  } catch (e) { found.apiList = "failed " + e.name; }
  try {
    const r = await fetch(api + "/api/v1/jobs/" + id + "/cancel", { method: "POST", credentials: "include", mode: "no-cors" });
    found.apiCancel = "sent " + r.type;
  } catch (e) { found.apiCancel = "failed " + e.name; }
  try {
    const r = await fetch(api + "/api/v1/jobs/" + id + "/spark-ui/link", { method: "POST", credentials: "include" });
    found.apiLink = r.status + " " + (await r.text()).slice(0, 200);
  } catch (e) { found.apiLink = "failed " + e.name; }
  try {
    const r = await fetch("/api/v1/jobs/" + id, { credentials: "include" });
    found.uiOriginApi = r.status;
  } catch (e) { found.uiOriginApi = "failed " + e.name; }
  // The dashboard's session cookie: the browser holds it for this host and sends it with these
  // (same-site) requests; the gateway must not let them act or read with it.
  try {
    const r = await fetch(api + "/api/v1/session", { credentials: "include" });
    found.apiSession = r.status + " " + (await r.text()).slice(0, 200);
  } catch (e) { found.apiSession = "failed " + e.name; }
  try {
    const r = await fetch(api + "/api/v1/session", { method: "POST", credentials: "include", mode: "no-cors",
      headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ token: "gty_" + "0".repeat(64) }) });
    found.apiSignIn = "sent " + r.type;
  } catch (e) { found.apiSignIn = "failed " + e.name; }
  found.formCancel = await new Promise((done) => {
    const sink = document.createElement("iframe");
    sink.name = "sink";
    // The first load is the empty frame's own (same origin); the form's answer is another origin's.
    sink.onload = () => { try { void sink.contentWindow.location.href; } catch { done("sent"); } };
    setTimeout(() => done("no answer"), 15000);
    document.body.appendChild(sink);
    const form = document.createElement("form");
    form.method = "POST";
    form.action = api + "/api/v1/jobs/" + id + "/cancel";
    form.target = "sink";
    document.body.appendChild(form);
    form.submit();
  });
  found.frame = await new Promise((done) => {
    const frame = document.createElement("iframe");
    frame.onload = () => done(grab(() => String(frame.contentWindow.sessionStorage.getItem("gantry.token")))) ;
    frame.src = api + "/jobs";
    document.body.appendChild(frame);
  });
  document.title = "planted:" + JSON.stringify(found);
})();`;

describe("Spark UI origin", { timeout: 180_000 }, () => {
  let gateway;
  let browser;
  let context;
  let notebook;
  let jobId;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    gateway = await startGateway({ sandboxClusters: 1 });
    // A notebook on another site (notebook.test, mapped to loopback), whose page holds a signed link.
    notebook = createServer((request, response) => {
      const link = new URL(request.url, "http://notebook.test").searchParams.get("link") ?? "";
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(`<!doctype html><title>notebook</title><a id="open" href="${link.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}">Spark UI</a>`);
    });
    await new Promise((r) => notebook.listen(0, "127.0.0.1", r));
    browser = await chromium.launch({
      executablePath: chromiumPath, headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--host-resolver-rules=MAP notebook.test 127.0.0.1"],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(WAIT);

    const spark = await gateway.api("/api/v1/jobs", { method: "POST", body: JSON.stringify({
      queue: "default",
      manifest: {
        apiVersion: "sparkoperator.k8s.io/v1beta2", kind: "SparkApplication",
        metadata: { name: "planted-ui", annotations: { "sandbox.gantry.io/duration": "170s", "sandbox.gantry.io/ui-script": planted(gateway.url) } },
        spec: {
          type: "Scala", mode: "cluster", image: "spark:3.5.3", sparkVersion: "3.5.3",
          mainClass: "org.apache.spark.examples.SparkPi", mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples.jar",
          driver: { cores: 1, memory: "512m" }, executor: { instances: 1, cores: 1, memory: "512m" },
        },
      },
    }) });
    jobId = spark.id;
    const deadline = Date.now() + WAIT;
    while (!(await gateway.api(`/api/v1/jobs/${jobId}`)).sparkUiUrl) {
      assert.ok(Date.now() < deadline, "the Spark job never reported a UI");
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  after(async () => {
    if (jobId) await gateway?.api(`/api/v1/jobs/${jobId}/cancel`, { method: "POST" }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await new Promise((r) => (notebook ? notebook.close(r) : r()));
    await gateway?.stop();
  });

  it("a script planted in the driver's UI cannot read the dashboard's token nor call the API as the viewer", async () => {
    const page = await context.newPage();
    await page.goto(gateway.url + "/");
    await page.getByLabel("API token").fill(gateway.token);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Jobs" }).waitFor();
    await page.goto(`${gateway.url}/jobs/${jobId}`);
    const [tab] = await Promise.all([context.waitForEvent("page"), page.getByRole("link", { name: "Open the Spark UI" }).click()]);
    await tab.waitForFunction(() => document.title.startsWith("planted:"), null, { timeout: WAIT });
    const found = JSON.parse((await tab.title()).slice("planted:".length));
    console.log(`the planted script found: ${JSON.stringify(found)}`);
    await tab.screenshot({ path: `${artifacts}/spark-ui-planted.png`, fullPage: true });

    assert.equal(found.origin, gateway.uiUrl, "the UI did not open on its own origin");
    assert.ok(!JSON.stringify(found).includes(gateway.token), `the planted script found the token: ${JSON.stringify(found)}`);
    assert.equal(found.localStorage, "{}");
    assert.equal(found.sessionStorage, "{}");
    assert.equal(found.cookie, "", "a cookie is readable from the UI's scripts");
    assert.equal(found.opener, "null");
    assert.ok(!found.referrer.includes("ticket"), `the signed link leaked through the referrer: ${found.referrer}`);
    assert.match(found.apiList, /^(failed|401 )/, `the API answered the planted script: ${found.apiList}`);
    assert.match(found.apiLink, /^(failed|401 )/, `the API issued a link to the planted script: ${found.apiLink}`);
    assert.match(found.apiSession, /^(failed|401 )/, `the API answered the session to the planted script: ${found.apiSession}`);
    assert.equal(found.uiOriginApi, 404, "the UI origin answered an API path");
    assert.match(found.frame, /^threw /, `the dashboard framed in the UI was readable: ${found.frame}`);
    // The no-cors cancel and the form's cancel carried the session cookie (same site), which the
    // API does not accept from another origin, nor without the CSRF header: the job still runs.
    assert.equal((await gateway.api(`/api/v1/jobs/${jobId}`)).state, "Running");
    // The cookie the script could not read is there, HttpOnly, and the dashboard is still signed in as
    // itself (the script's sign-in with another token did nothing).
    const session = (await context.cookies(gateway.url + "/api/v1")).find((c) => c.name === "gantry_session");
    assert.equal(session?.httpOnly, true, "no HttpOnly session cookie in the browser");
    assert.equal(await page.evaluate(async () => (await (await fetch("/api/v1/session")).json()).user.role), "admin");
    assert.equal(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage })), "{}");
    await tab.close();
    await page.close();
  });

  it("a signed link clicked in a notebook on another site opens the UI", async () => {
    const { url } = await gateway.api(`/api/v1/jobs/${jobId}/spark-ui/link`, { method: "POST" });
    const fresh = await browser.newContext();
    try {
      const page = await fresh.newPage();
      page.setDefaultTimeout(WAIT);
      await page.goto(`http://notebook.test:${notebook.address().port}/?link=${encodeURIComponent(url)}`);
      await page.locator("#open").click();
      await page.getByRole("heading", { name: "Spark Jobs" }).waitFor();
      assert.equal(new URL(page.url()).origin, gateway.uiUrl);
      assert.equal(new URL(page.url()).pathname, `/api/v1/jobs/${jobId}/spark-ui/jobs/`);
      const cookies = await fresh.cookies(gateway.uiUrl + `/api/v1/jobs/${jobId}/spark-ui/`);
      const cookie = cookies.find((c) => c.name === "gantry_ui") ?? assert.fail(`no UI cookie: ${JSON.stringify(cookies)}`);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, "Strict");
      assert.equal(cookie.path, `/api/v1/jobs/${jobId}/spark-ui`);

      // Opened again after it expired or was altered, the link says so instead of opening anything.
      const tampered = url.replace(/ticket=(.)/, (_, c) => `ticket=${c === "A" ? "B" : "A"}`);
      const refused = await page.goto(tampered);
      assert.equal(refused.status(), 403);
      await page.getByRole("heading", { name: "This link cannot be opened" }).waitFor();
    } finally {
      await fresh.close();
    }
  });
});
