// The dashboard in Debian's chromium (headless, driven by playwright-core) against a real
// `gantry serve --sandbox-clusters 2`: sign in, submit, watch the job end live, its logs and
// metrics chart, the job in a second tab without signing in again, queues, cordon a cluster and
// test it, a TrainJob's runtime and nodes. Any console error fails the suite.
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

describe("dashboard", { timeout: 600_000 }, () => {
  let gateway;
  let browser;
  let page;
  const consoleErrors = [];
  let jobId;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    gateway = await startGateway({ sandboxClusters: 2 });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
    // A context of its own, as a browser profile: its tabs share the session cookie.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await gateway?.stop();
  });

  const shot = (name) => page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });

  it("signs in with a token using only the keyboard", async () => {
    await page.goto(gateway.url + "/");
    await page.getByLabel("API token").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "token");
    await page.keyboard.type(gateway.token);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Jobs" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/jobs");
    assert.match(await page.locator("#who").innerText(), /admin/);
    // The token is kept nowhere a page script can read: the browser holds an HttpOnly session cookie.
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }) + document.cookie);
    assert.equal(stored, "{}", "the dashboard kept something readable by scripts");
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "gantry_session") ?? assert.fail(`no session cookie: ${JSON.stringify(cookies)}`);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, "Strict");
    assert.equal(session.path, "/api/v1");
    assert.equal(session.expires, -1, "the session cookie outlives the browser");
    assert.ok(!JSON.stringify(cookies).includes(gateway.token.slice(4)), "a cookie holds the token");
  });

  it("shows a rejected manifest's field errors", async () => {
    await page.getByText("Submit a job").click();
    await page.getByLabel("Manifest (YAML or JSON)").fill("kind: Command\nspec:\n  command: []\n");
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    const status = page.locator("form.submit [role=status]");
    await status.locator(".field-errors li").first().waitFor();
    assert.match(await status.innerText(), /422/);
    assert.match(await status.innerText(), /manifest\.spec\.command/);
  });

  it("submits a manifest and watches the job reach Succeeded without a reload", async () => {
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.getByLabel("Manifest (YAML or JSON)").fill([
      "kind: Command",
      "metadata:",
      "  name: browser-test",
      "  annotations:",
      "    gantry.io/queue: default",
      "spec:",
      "  command: [\"sh\", \"-c\", \"for i in 1 2 3; do echo step $i; sleep 0.5; done\"]",
      "  resources: {cpu: 100m, memory: 32Mi}",
    ].join("\n"));
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    const link = page.locator("form.submit [role=status] a");
    await link.waitFor();
    jobId = new URL(await link.evaluate((a) => a.href)).pathname.split("/").pop();
    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await row.waitFor();
    await shot("jobs-running");
    await page.locator(`tr[data-job-id="${jobId}"][data-state="Succeeded"]`).waitFor();
    assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page was reloaded");
    assert.match(await row.innerText(), /Succeeded/);
    await shot("jobs");
  });

  it("filters the list on the server by state", async () => {
    await page.getByLabel("State").selectOption("Failed");
    await page.getByText("No jobs match.").waitFor();
    assert.equal(await page.locator(`tr[data-job-id="${jobId}"]`).count(), 0);
    assert.match(page.url(), /state=Failed/);
    await page.getByRole("button", { name: "Clear" }).click();
    await page.locator(`tr[data-job-id="${jobId}"]`).waitFor();
  });

  it("opens the job: timeline, logs and its pushed metrics charted", async () => {
    const points = Array.from({ length: 20 }, (_, step) => ({ name: "loss", value: 2 / (step + 1), step }))
      .concat(Array.from({ length: 20 }, (_, step) => ({ name: "accuracy", value: step / 20, step })));
    await gateway.api(`/api/v1/jobs/${jobId}/metrics`, { method: "POST", body: JSON.stringify({ metrics: points }) });

    await page.locator(`tr[data-job-id="${jobId}"] a`).first().click();
    await page.getByRole("heading", { name: /browser-test/ }).waitFor();
    const timeline = page.getByRole("list", { name: "State timeline" });
    await timeline.getByText("Succeeded").waitFor();
    assert.ok((await timeline.locator("li").count()) >= 4);
    await page.locator("pre.log", { hasText: "step 3" }).waitFor();
    await page.locator('figure[data-metric="loss"] canvas').waitFor();
    await page.locator('figure[data-metric="accuracy"] canvas').waitFor();
    assert.match(await page.locator('figure[data-metric="loss"] figcaption').innerText(), /20 points/);
    await shot("job");
  });

  it("opens a job in a second tab without signing in again", async () => {
    const second = await page.context().newPage();
    second.setDefaultTimeout(WAIT);
    try {
      await second.goto(`${gateway.url}/jobs/${jobId}`);
      await second.getByRole("heading", { name: /browser-test/ }).waitFor();
      await second.locator("pre.log", { hasText: "step 3" }).waitFor();
      assert.equal(await second.getByLabel("API token").count(), 0, "the second tab asked for the token");
      assert.match(await second.locator("#who").innerText(), /admin/);
      // The cookie alone does not carry an unsafe call: the CSRF header must come with it.
      const bare = await second.evaluate(async (id) => (await fetch(`/api/v1/jobs/${id}/cancel`, { method: "POST" })).status, jobId);
      assert.equal(bare, 403);
      const withCsrf = await second.evaluate(async (id) => {
        const { csrfToken } = await (await fetch("/api/v1/session")).json();
        return (await fetch(`/api/v1/jobs/${id}/cancel`, { method: "POST", headers: { "X-CSRF-Token": csrfToken } })).status;
      }, jobId);
      assert.equal(withCsrf, 200);
      await second.screenshot({ path: `${artifacts}/job-second-tab.png`, fullPage: true });
    } finally {
      await second.close();
    }
  });

  it("shows queues with usage and fair share against entitlement", async () => {
    await gateway.api("/api/v1/queues", { method: "POST", body: JSON.stringify({ name: "ml", weight: 3 }) });
    const busy = await gateway.api("/api/v1/jobs", { method: "POST", body: JSON.stringify({
      name: "long-training", queue: "ml",
      manifest: { kind: "Command", spec: { command: ["sleep", "600"], resources: { cpu: "500m", memory: "256Mi" } } },
    }) });
    try {
      // The round after the job starts is the first to count what the queue holds.
      const deadline = Date.now() + WAIT;
      while (!((await gateway.api("/api/v1/queues/ml")).fairShare?.share > 0)) {
        assert.ok(Date.now() < deadline, "queue ml never showed a share");
        await new Promise((r) => setTimeout(r, 200));
      }
      await page.getByRole("link", { name: "Queues" }).click();
      const row = page.locator('tr[data-queue="ml"]');
      await row.waitFor();
      assert.match(await row.innerText(), /share [\d.]+% of entitlement 100%/);
      assert.match(await page.locator('tr[data-queue="default"]').innerText(), /wants nothing now/);
      await shot("queues");
    } finally {
      await gateway.api(`/api/v1/jobs/${busy.id}/cancel`, { method: "POST" });
    }
  });

  it("lets an admin create, edit and delete a queue, and submit to it with the queue picker", async () => {
    await page.getByRole("link", { name: "Queues" }).click();
    await page.getByRole("button", { name: "New queue" }).click();
    const form = page.getByRole("form", { name: "New queue" });
    // A bad name is refused by the server, which names the field.
    await form.getByLabel("Name").fill("Not A Name");
    await form.getByRole("button", { name: "Create queue" }).click();
    await form.locator(".field-errors li", { hasText: "name:" }).waitFor();

    await form.getByLabel("Name").fill("etl");
    await form.getByLabel("Weight").fill("2");
    await form.getByLabel("Policy").selectOption("LabelAffinity");
    await form.getByLabel("CPU quota").fill("4");
    await form.getByLabel("Affinity").fill("region=eu");
    await form.getByRole("button", { name: "Create queue" }).click();
    const row = page.locator('tr[data-queue="etl"]');
    await row.waitFor();
    let etl = await gateway.api("/api/v1/queues/etl");
    assert.equal(etl.weight, 2);
    assert.equal(etl.policy, "LabelAffinity");
    assert.equal(etl.quota.cpu, "4");
    assert.deepEqual(etl.affinity, { region: "eu" });

    await row.getByRole("button", { name: "Edit queue etl" }).click();
    const edit = page.getByRole("form", { name: "Edit queue etl" });
    assert.equal(await edit.getByLabel("Affinity").inputValue(), "region=eu");
    await edit.getByLabel("Weight").fill("5");
    await edit.getByLabel("CPU quota").fill("");
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved queue etl.").waitFor();
    etl = await gateway.api("/api/v1/queues/etl");
    assert.equal(etl.weight, 5);
    assert.equal(etl.quota.cpu, null);
    assert.deepEqual(etl.affinity, { region: "eu" }, "saving lost a field the form did not change");
    // The table shows the new weight (waited for, not read at one instant).
    await page.locator('tr[data-queue="etl"] td', { hasText: /^5$/ }).first().waitFor();
    await shot("queues-edit");

    // The submit form's picker sends the job to the picked queue, over the manifest's annotation.
    await page.getByRole("link", { name: "Jobs" }).click();
    await page.getByText("Submit a job").click();
    await page.locator('#submit-queue option[value="etl"]').waitFor({ state: "attached" });
    await page.getByLabel("Queue:").selectOption("etl");
    await page.getByLabel("Manifest (YAML or JSON)").fill([
      "kind: Command",
      "metadata:",
      "  name: picked-queue",
      "  annotations:",
      "    gantry.io/queue: default",
      "spec:",
      "  command: [\"true\"]",
      "  resources: {cpu: 100m, memory: 32Mi}",
    ].join("\n"));
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    const status = page.locator("form.submit [role=status]");
    await status.getByText("to queue etl").waitFor();
    const picked = new URL(await status.locator("a").evaluate((a) => a.href)).pathname.split("/").pop();
    const deadline = Date.now() + WAIT;
    while (!["Succeeded", "Failed", "Cancelled"].includes((await gateway.api(`/api/v1/jobs/${picked}`)).state)) {
      assert.ok(Date.now() < deadline, "the job in queue etl never ended");
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.getByLabel("Queue:").selectOption("");

    await page.getByRole("link", { name: "Queues" }).click();
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Delete queue etl" }).click();
    await page.getByText("Deleted queue etl.").waitFor();
    // The row goes with the reload; wait for it rather than read the table at one instant.
    await page.locator('tr[data-queue="etl"]').waitFor({ state: "detached" });
    assert.equal(await page.getByRole("button", { name: "Delete queue default" }).count(), 0);
  });

  it("cordons a sandbox cluster and runs its connectivity test", async () => {
    const clusters = (await gateway.api("/api/v1/clusters")).items;
    const sandbox = clusters.find((c) => c.type !== "local") ?? assert.fail(`no sandbox cluster in ${JSON.stringify(clusters)}`);
    await page.getByRole("link", { name: "Clusters" }).click();
    const card = page.locator(`article[data-cluster="${sandbox.name}"]`);
    await card.waitFor();
    await card.getByRole("button", { name: `Cordon cluster ${sandbox.name}`, exact: true }).click();
    await card.locator(".health.warn", { hasText: "cordoned" }).waitFor();
    assert.equal((await gateway.api(`/api/v1/clusters/${sandbox.name}`)).cordoned, true);

    await page.locator(`article[data-cluster="${sandbox.name}"]`).getByRole("button", { name: /Test connectivity/ }).click();
    const checks = page.locator(`article[data-cluster="${sandbox.name}"] table.checks`);
    await checks.waitFor();
    assert.ok((await checks.locator("tbody tr").count()) > 0);

    // The gateway replicas, for admins: this standalone gateway is the only one and leads.
    const replicas = (await gateway.api("/api/v1/replicas")).items;
    assert.equal(replicas.length, 1);
    const row = page.locator(`section.replicas tr[data-replica="${replicas[0].id}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /leader \(epoch \d+\)/);
    assert.match(await page.locator("section.replicas caption").innerText(), new RegExp(`Leader: ${replicas[0].id}`));
    await shot("clusters");

    await page.locator(`article[data-cluster="${sandbox.name}"]`).getByRole("button", { name: `Uncordon cluster ${sandbox.name}`, exact: true }).click();
    await page.locator(`article[data-cluster="${sandbox.name}"]`).getByRole("button", { name: `Cordon cluster ${sandbox.name}`, exact: true }).waitFor();
    assert.equal((await gateway.api(`/api/v1/clusters/${sandbox.name}`)).cordoned, false);
  });

  it("links a running SparkApplication's UI and says when its driver has ended", async () => {
    const spark = await gateway.api("/api/v1/jobs", { method: "POST", body: JSON.stringify({
      queue: "default",
      manifest: {
        apiVersion: "sparkoperator.k8s.io/v1beta2", kind: "SparkApplication",
        metadata: { name: "spark-pi", annotations: { "sandbox.gantry.io/duration": "60s" } },
        spec: {
          type: "Scala", mode: "cluster", image: "spark:3.5.3", sparkVersion: "3.5.3",
          mainClass: "org.apache.spark.examples.SparkPi", mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples.jar",
          driver: { cores: 1, memory: "512m" }, executor: { instances: 2, cores: 1, memory: "512m" },
        },
      },
    }) });
    try {
      await page.getByRole("link", { name: "Jobs" }).click();
      await page.locator(`tr[data-job-id="${spark.id}"] a`).first().click();
      const link = page.getByRole("link", { name: "Open the Spark UI" });
      await link.waitFor();
      assert.equal(await link.getAttribute("href"), `/api/v1/jobs/${spark.id}/spark-ui/`);
      // A click asks for a signed link and opens it in a new tab, on the UI origin.
      const [tab] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
      await tab.getByRole("heading", { name: "Spark Jobs" }).waitFor();
      assert.equal(new URL(tab.url()).origin, gateway.uiUrl);
      assert.equal(new URL(tab.url()).pathname, `/api/v1/jobs/${spark.id}/spark-ui/jobs/`);
      await tab.close();
      await shot("job-spark");
    } finally {
      await gateway.api(`/api/v1/jobs/${spark.id}/cancel`, { method: "POST" });
    }
    await page.getByText("The Spark driver has ended").waitFor();
    await page.getByRole("heading", { name: /spark-pi/ }).getByText("Cancelled").waitFor();
  });

  it("shows a TrainJob's runtime and nodes", async () => {
    const train = await gateway.api("/api/v1/jobs", { method: "POST", body: JSON.stringify({
      queue: "default",
      manifest: {
        apiVersion: "trainer.kubeflow.org/v1alpha1", kind: "TrainJob",
        metadata: { name: "train-torch", annotations: { "sandbox.gantry.io/duration": "60s" } },
        spec: {
          runtimeRef: { name: "torch-distributed" },
          trainer: { numNodes: 2, image: "pytorch/pytorch:2.5.0", command: ["torchrun", "/workspace/train.py"] },
        },
      },
    }) });
    try {
      // Straight to the job's page: the list re-renders with each of the new job's first
      // transitions, and a click that lands while its row is replaced goes nowhere.
      await page.goto(`${gateway.url}/jobs/${train.id}`);
      await page.getByRole("heading", { name: /train-torch/ }).waitFor();
      const fact = (term) => page.locator("dt", { hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]");
      assert.equal((await fact("Runtime").textContent()).trim(), "ClusterTrainingRuntime torch-distributed");
      assert.equal((await fact("Nodes").textContent()).trim(), "2 (node-0-0, node-0-1)");
      await shot("job-trainjob");
    } finally {
      await gateway.api(`/api/v1/jobs/${train.id}/cancel`, { method: "POST" });
    }
  });

  it("fits a laptop's width on every page", async () => {
    // The experiment pages are checked with a finished experiment in experiments.test.mjs.
    for (const path of ["/jobs", `/jobs/${jobId}`, "/experiments", "/queues", "/clusters"]) {
      await page.goto(gateway.url + path);
      await page.locator("main h1").first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 1280px`);
      if (path === "/jobs") {
        await page.locator("tbody tr").nth(2).waitFor();
        await shot("jobs-list");
      }
    }
  });

  it("signs out", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API token").waitFor();
    assert.deepEqual((await page.context().cookies()).filter((c) => c.name === "gantry_session"), []);
    // Every tab is signed out: a new one asks for the token.
    const another = await page.context().newPage();
    try {
      await another.goto(`${gateway.url}/jobs/${jobId}`);
      await another.getByLabel("API token").waitFor();
    } finally {
      await another.close();
    }
  });

  it("logged no console error", () => {
    // Chromium logs every 4xx answer to fetch as a console error. Two are expected: the manifest
    // and the queue rejected on purpose above.
    const expected = [/status of 422 .*\/api\/v1\/jobs\)$/, /status of 422 .*\/api\/v1\/queues\)$/];
    assert.deepEqual(consoleErrors.filter((e) => !expected.some((x) => x.test(e))), []);
  });
});
