// An origin per job's Spark UI (Gantry:SparkUi:Origin = http://*.ui.localhost:PORT), in Debian's chromium
// against a real `gantry serve --sandbox-clusters 1`. The viewer has two jobs' UIs open (a live cookie
// for each); a script planted in the first job's driver UI tries to read the second job's UI, on its
// own origin and on the second job's. With one shared UI origin it could (docs/security.md); here each
// job's host serves only its own job and the browser keeps the other origin's answer from the script.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { startGateway } from "./gateway.mjs";

const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const WAIT = 30_000;

// What the first job's author plants: it reads the other job's UI every way a page can.
const planted = (otherOrigin) => `(async () => {
  const mine = location.pathname.split("/")[4];
  const other = ${JSON.stringify(otherOrigin)};
  const id = new URL(other).hostname.split(".")[0];
  const found = { origin: location.origin, mine };
  const read = async (url) => {
    try {
      const r = await fetch(url, { credentials: "include" });
      return r.status + " " + (await r.text()).slice(0, 120);
    } catch (e) { return "failed " + e.name; }
  };
  found.sameOrigin = await read("/api/v1/jobs/" + id + "/spark-ui/jobs/");
  found.otherOrigin = await read(other + "/api/v1/jobs/" + id + "/spark-ui/jobs/");
  found.frame = await new Promise((done) => {
    const frame = document.createElement("iframe");
    frame.onload = () => { try { done("read " + frame.contentDocument.title); } catch (e) { done("threw " + e.name); } };
    setTimeout(() => done("no answer"), 15000);
    frame.src = other + "/api/v1/jobs/" + id + "/spark-ui/jobs/";
    document.body.appendChild(frame);
  });
  document.title = "planted:" + JSON.stringify(found);
})();`;

const spark = (name, annotations) => ({
  queue: "default",
  manifest: {
    apiVersion: "sparkoperator.k8s.io/v1beta2", kind: "SparkApplication",
    metadata: { name, annotations: { "sandbox.gantry.io/duration": "170s", ...annotations } },
    spec: {
      type: "Scala", mode: "cluster", image: "spark:3.5.3", sparkVersion: "3.5.3",
      mainClass: "org.apache.spark.examples.SparkPi", mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples.jar",
      driver: { cores: 1, memory: "512m" }, executor: { instances: 1, cores: 1, memory: "512m" },
    },
  },
});

describe("Spark UI origin per job", { timeout: 180_000 }, () => {
  let gateway;
  let browser;
  const jobs = [];

  before(async () => {
    gateway = await startGateway({ sandboxClusters: 1, env: ({ uiPort }) => ({ Gantry__SparkUi__Origin: `http://*.ui.localhost:${uiPort}` }) });
    // No resolver rule: Chromium sends every *.localhost name to loopback by itself, so this is the
    // setting docs/security.md gives for a gateway on one's own machine.
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  });

  after(async () => {
    for (const id of jobs) await gateway?.api(`/api/v1/jobs/${id}/cancel`, { method: "POST" }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await gateway?.stop();
  });

  const running = async (body) => {
    const { id } = await gateway.api("/api/v1/jobs", { method: "POST", body: JSON.stringify(body) });
    jobs.push(id);
    const deadline = Date.now() + WAIT;
    while (!(await gateway.api(`/api/v1/jobs/${id}`)).sparkUiUrl) {
      assert.ok(Date.now() < deadline, "the Spark job never reported a UI");
      await new Promise((r) => setTimeout(r, 200));
    }
    return id;
  };
  // The link names the job's own host, at the UI listener's port.
  const linkOf = async (id) => {
    const { url } = await gateway.api(`/api/v1/jobs/${id}/spark-ui/link`, { method: "POST" });
    const link = new URL(url);
    assert.equal(link.host, `${id}.ui.localhost:${new URL(gateway.uiUrl).port}`);
    return link;
  };

  it("a script in one job's UI cannot read another job's UI that the viewer has open", async () => {
    const victim = await running(spark("victim-ui", {}));
    const victimLink = await linkOf(victim);
    const attacker = await running(spark("planted-ui", { "sandbox.gantry.io/ui-script": planted(victimLink.origin) }));
    const context = await browser.newContext();
    context.setDefaultTimeout(WAIT);
    try {
      // The viewer opens the victim's UI first: its cookie is live in the browser.
      const first = await context.newPage();
      await first.goto(victimLink.href);
      await first.getByRole("heading", { name: "Spark Jobs" }).waitFor();
      assert.equal(new URL(first.url()).origin, victimLink.origin);
      assert.equal((await context.cookies(victimLink.origin + `/api/v1/jobs/${victim}/spark-ui/`)).filter((c) => c.name === "gantry_ui").length, 1);

      const tab = await context.newPage();
      await tab.goto((await linkOf(attacker)).href);
      await tab.waitForFunction(() => document.title.startsWith("planted:"), null, { timeout: WAIT });
      const found = JSON.parse((await tab.title()).slice("planted:".length));
      console.log(`the planted script found: ${JSON.stringify(found)}`);

      assert.equal(found.mine, attacker);
      assert.equal(new URL(found.origin).hostname, `${attacker}.ui.localhost`);
      assert.match(found.sameOrigin, /^404 /, `the attacker's host served the victim's UI: ${found.sameOrigin}`);
      assert.match(found.otherOrigin, /^failed /, `the victim's origin answered the attacker's script: ${found.otherOrigin}`);
      assert.match(found.frame, /^(threw|no answer)/, `the victim's UI framed in the attacker's page was readable: ${found.frame}`);
      // The victim's UI still opens for the viewer: the cookie was neither read nor spoiled.
      await first.reload();
      await first.getByRole("heading", { name: "Spark Jobs" }).waitFor();
    } finally {
      await context.close();
    }
  });
});
