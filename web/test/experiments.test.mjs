// The experiments pages in Debian's chromium against a real `gantry serve`: a random-search
// experiment over Command trials (each prints `loss=...` for the StdOut collector) runs to its end
// while the list is open; its page shows the trials (each linking its job), the optimisation
// history and the parallel coordinates; a second, long experiment is cancelled from its page.
// Both routes load on their own (a reload or a bookmark). Any console error fails the suite.
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
const WAIT = 90_000;

// Katib's Experiment with Gantry's Command trial: the loss is a known function of the parameters.
function experiment(name, { maxTrialCount, parallelTrialCount, command }) {
  return {
    queue: "default",
    manifest: {
      apiVersion: "kubeflow.org/v1beta1",
      kind: "Experiment",
      metadata: { name },
      spec: {
        objective: { type: "minimize", objectiveMetricName: "loss" },
        algorithm: { algorithmName: "random", algorithmSettings: [{ name: "random_state", value: "7" }] },
        parallelTrialCount,
        maxTrialCount,
        maxFailedTrialCount: maxTrialCount,
        parameters: [
          { name: "lr", parameterType: "double", feasibleSpace: { min: "0.001", max: "0.1", distribution: "logUniform" } },
          { name: "layers", parameterType: "int", feasibleSpace: { min: "1", max: "4" } },
          { name: "optimizer", parameterType: "categorical", feasibleSpace: { list: ["sgd", "adam", "rmsprop"] } },
        ],
        trialTemplate: {
          primaryContainerName: "main",
          trialParameters: [
            { name: "lr", reference: "lr" },
            { name: "layers", reference: "layers" },
            { name: "optimizer", reference: "optimizer" },
          ],
          trialSpec: { kind: "Command", spec: { command, resources: { cpu: "100m", memory: "32Mi" } } },
        },
      },
    },
  };
}

const quick = ["sh", "-c",
  "awk -v lr='${trialParameters.lr}' -v layers='${trialParameters.layers}' -v opt='${trialParameters.optimizer}' " +
  "'BEGIN { print \"loss=\" (lr * 10 + layers / 10 + (opt == \"adam\" ? 0 : 0.5)) }'"];
const long = ["sh", "-c", "echo '${trialParameters.lr} ${trialParameters.layers} ${trialParameters.optimizer}'; sleep 600"];

describe("experiments pages", { timeout: 600_000 }, () => {
  let gateway;
  let browser;
  let page;
  const consoleErrors = [];
  let finished; // the experiment that ran to its end
  let trials; // its trials, as the API answers them

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    gateway = await startGateway({ sandboxClusters: 1 });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.goto(gateway.url + "/experiments");
    await page.getByLabel("API token").fill(gateway.token);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Experiments" }).waitFor();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await gateway?.stop();
  });

  const shot = (name) => page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });

  async function until(what, check) {
    const deadline = Date.now() + WAIT;
    for (;;) {
      const value = await check();
      if (value) return value;
      assert.ok(Date.now() < deadline, `${what} within ${WAIT / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it("lists an experiment and follows it to its end without a reload", async () => {
    await page.getByRole("link", { name: "Experiments" }).click();
    await page.getByRole("heading", { name: "Experiments" }).waitFor();
    assert.equal(await page.locator("nav a[aria-current=page]").innerText(), "Experiments");
    await page.evaluate(() => { window.__sameDocument = true; });

    finished = await gateway.api("/api/v1/experiments", { method: "POST", body: JSON.stringify(experiment("browser-tune", { maxTrialCount: 4, parallelTrialCount: 2, command: quick })) });
    // The list read before the submission does not show it; the Refresh button does, and from
    // then on the unfinished experiment keeps the page polling.
    await page.getByRole("button", { name: "Refresh" }).click();
    const row = page.locator(`tr[data-experiment-id="${finished.id}"]`);
    await row.waitFor();
    await page.locator(`tr[data-experiment-id="${finished.id}"][data-state="Succeeded"]`).waitFor();
    assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page was reloaded");

    finished = await gateway.api(`/api/v1/experiments/${finished.id}`);
    trials = (await gateway.api(`/api/v1/experiments/${finished.id}/trials`)).items;
    assert.equal(finished.reason, "ExperimentMaxTrialsReached");
    assert.equal(trials.length, 4);
    const cells = await row.locator("td").allInnerTexts();
    assert.match(cells[0], /browser-tune/);
    assert.equal(cells[1].trim(), "Succeeded");
    assert.equal(cells[3].trim(), "random");
    assert.equal(cells[4].trim(), "minimize loss");
    assert.equal(cells[5].trim(), "4 / 4");
    const best = Math.min(...trials.filter((t) => t.objective !== null).map((t) => t.objective));
    assert.ok(Math.abs(Number(cells[6]) - best) <= Math.abs(best) * 1e-3, `best objective ${cells[6]}, expected ${best}`);
    await shot("experiments");
  });

  it("filters the list on the server by state", async () => {
    await page.getByLabel("State").selectOption("Failed");
    await page.getByText("No experiments match.").waitFor();
    assert.match(page.url(), /state=Failed/);
    await page.getByLabel("State").selectOption("Succeeded");
    await page.locator(`tr[data-experiment-id="${finished.id}"]`).waitFor();
    await page.getByRole("button", { name: "Clear" }).click();
    await page.locator(`tr[data-experiment-id="${finished.id}"]`).waitFor();
    assert.doesNotMatch(page.url(), /state=/);
  });

  it("opens the experiment: facts, best trial, trials, history and parallel coordinates", async () => {
    await page.locator(`tr[data-experiment-id="${finished.id}"] a`).click();
    await page.getByRole("heading", { name: /browser-tune/ }).waitFor();
    const fact = (term) => page.locator("dt", { hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]");
    assert.equal((await fact("State").textContent()).trim(), "Succeeded");
    assert.equal((await fact("Reason").textContent()).trim(), "ExperimentMaxTrialsReached");
    assert.equal((await fact("Algorithm").textContent()).trim(), "random");
    assert.equal((await fact("Objective").textContent()).trim(), "minimize loss");
    assert.equal(await page.getByRole("button", { name: "Cancel experiment" }).count(), 0, "a finished experiment offers Cancel");

    // The trials table: a row per trial in creation order, its name linking its job, a column per parameter.
    const headers = await page.locator("table.trials thead th").allInnerTexts();
    for (const name of ["lr", "layers", "optimizer", "loss"]) assert.ok(headers.includes(name), `no column ${name} in ${headers}`);
    const rows = page.locator("table.trials tbody tr");
    assert.equal(await rows.count(), trials.length);
    for (const [i, trial] of trials.entries()) {
      const row = rows.nth(i);
      assert.equal(await row.getAttribute("data-trial"), trial.name);
      assert.equal(await row.getByRole("link", { name: trial.name }).getAttribute("href"), `/jobs/${trial.jobId}`);
      const lr = trial.parameterAssignments.find((a) => a.name === "lr").value;
      // Shown to four significant digits, in full on hover.
      const cell = row.locator("td.param").first();
      assert.equal(Number((await cell.innerText()).trim()), Number(Number(lr).toPrecision(4)));
      assert.equal((await cell.getAttribute("title")) ?? lr, lr);
    }

    const scored = trials.filter((t) => t.objective !== null);
    assert.ok(scored.length > 0, `no trial has an objective: ${JSON.stringify(trials)}`);
    const best = page.locator("#best");
    assert.match(await best.innerText(), new RegExp(finished.currentOptimalTrial.bestTrialName));

    // The history: a point per trial with an objective, the best-so-far line, described in words.
    const history = page.getByRole("img", { name: /^Optimisation history: / });
    assert.equal(await history.locator("circle.point").count(), scored.length);
    assert.equal(await history.locator("path.best-line").count(), 1);
    assert.equal(await history.locator("circle.point.best").getAttribute("data-trial"), finished.currentOptimalTrial.bestTrialName);
    assert.match(await history.getAttribute("aria-label"), new RegExp(`loss \\(minimize\\) of ${scored.length} trials`));

    // Parallel coordinates: an axis per parameter and the objective, a line per trial with an objective.
    const parallel = page.getByRole("img", { name: /^Parallel coordinates: / });
    assert.equal(await parallel.locator("polyline.trial").count(), scored.length);
    assert.deepEqual(await parallel.locator("g.axis").evaluateAll((axes) => axes.map((a) => a.getAttribute("data-axis"))), ["lr", "layers", "optimizer", "loss"]);
    // The categorical axis has a tick per list value; the log axis says so.
    assert.deepEqual(await parallel.locator('g.axis[data-axis="optimizer"] g.tick text').allTextContents(), ["sgd", "adam", "rmsprop"]);
    assert.match(await parallel.locator('g.axis[data-axis="lr"] .axis-scale').textContent(), /log/);
    for (const line of await parallel.locator("polyline.trial").all()) {
      assert.equal((await line.getAttribute("points")).split(" ").length, 4, "a line misses an axis");
    }
    await shot("experiment");
  });

  it("links a trial's job, which links back to its experiment", async () => {
    const trial = trials[0];
    await page.locator("table.trials").getByRole("link", { name: trial.name }).click();
    await page.getByRole("heading", { name: new RegExp(trial.name) }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/jobs/${trial.jobId}`);
    const back = page.locator("dt", { hasText: /^Experiment$/ }).locator("xpath=following-sibling::dd[1]").getByRole("link");
    assert.equal(await back.getAttribute("href"), `/experiments/${finished.id}`);
    await back.click();
    await page.getByRole("heading", { name: /browser-tune/ }).waitFor();
  });

  it("loads both pages on their own, as after a reload or from a bookmark", async () => {
    for (const path of ["/experiments", `/experiments/${finished.id}`]) {
      const response = await page.goto(gateway.url + path);
      assert.equal(response.status(), 200);
      assert.match(response.headers()["content-type"], /text\/html/);
      await page.locator("main h1").first().waitFor();
    }
    await page.getByRole("heading", { name: /browser-tune/ }).waitFor();
    await page.goto(gateway.url + "/experiments/e-doesnotexist");
    await page.getByRole("heading", { name: "No such experiment" }).waitFor();
  });

  it("cancels an unfinished experiment from its page", async () => {
    const running = await gateway.api("/api/v1/experiments", { method: "POST", body: JSON.stringify(experiment("browser-long", { maxTrialCount: 3, parallelTrialCount: 1, command: long })) });
    const job = await until("a trial of browser-long running", async () => {
      const items = (await gateway.api(`/api/v1/experiments/${running.id}/trials`)).items;
      return items.find((t) => t.state === "Running" && t.jobId);
    });
    await page.goto(`${gateway.url}/experiments/${running.id}`);
    await page.getByRole("heading", { name: /browser-long/ }).waitFor();
    await page.locator(`table.trials tr[data-trial="${job.name}"][data-state="Running"]`).waitFor();
    assert.equal(await page.getByRole("img", { name: /^Optimisation history/ }).count(), 0, "a chart without any objective");
    await page.getByText("no trial has an objective yet").first().waitFor();
    await shot("experiment-running");

    await page.getByRole("button", { name: "Cancel experiment" }).click();
    await page.getByRole("heading", { name: /browser-long/ }).getByText("Failed").waitFor();
    const fact = (term) => page.locator("dt", { hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]");
    assert.equal((await fact("Reason").textContent()).trim(), "ExperimentCancelled");
    assert.equal(await page.getByRole("button", { name: "Cancel experiment" }).count(), 0);
    const after = await gateway.api(`/api/v1/experiments/${running.id}`);
    assert.equal(after.state, "Failed");
    assert.equal(after.reason, "ExperimentCancelled");
    // Its running trial's job is cancelled with it.
    await until("the trial's job cancelled", async () => (await gateway.api(`/api/v1/jobs/${job.jobId}`)).state === "Cancelled");
    await shot("experiment-cancelled");
  });

  it("fits a laptop's width", async () => {
    for (const path of ["/experiments", `/experiments/${finished.id}`]) {
      await page.goto(gateway.url + path);
      await page.locator("main h1").first().waitFor();
      if (path !== "/experiments") await page.locator("svg.parallel").waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 1280px`);
    }
  });

  it("logged no console error", () => {
    // Chromium logs every 4xx answer to fetch as a console error: the unknown experiment's 404.
    const expected = [/status of 404 .*\/api\/v1\/experiments\/e-doesnotexist(\/trials)?\)$/];
    assert.deepEqual(consoleErrors.filter((e) => !expected.some((x) => x.test(e))), []);
  });
});
