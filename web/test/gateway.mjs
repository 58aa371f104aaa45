// A real `gantry serve` process with sandbox clusters on a free loopback port, for the browser tests.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const here = new URL(".", import.meta.url).pathname;
export const gantryDll = process.env.GANTRY_DLL ?? resolve(here, "../../src/Gantry.Cli/bin/Debug/net10.0/gantry.dll");

export async function startGateway({ sandboxClusters = 2, env = {} } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), "gantry-browser-"));
  const [port, uiPort] = await freePorts(2);
  const url = `http://127.0.0.1:${port}`;
  // The Spark UIs' own origin: another port of the same host, as `gantry serve` does by default.
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  const child = spawn("dotnet", [gantryDll, "serve", "--data-dir", dataDir, "--urls", url, "--ui-urls", uiUrl, "--sandbox-clusters", String(sandboxClusters)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, Gantry__Scheduler__IntervalMilliseconds: "200", ...(typeof env === "function" ? env({ port, uiPort }) : env) },
  });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  const exited = new Promise((resolveExit) => child.once("exit", resolveExit));

  const gateway = {
    url,
    uiUrl,
    dataDir,
    token: "",
    output: () => output,
    async api(path, init = {}) {
      const response = await fetch(url + path, {
        ...init,
        headers: { Authorization: `Bearer ${gateway.token}`, "Content-Type": "application/json", ...(init.headers ?? {}) },
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${response.status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`gantry serve exited with ${child.exitCode}:\n${output}`);
      const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`gantry serve was not ready within 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    gateway.token = (await readFile(join(dataDir, "admin.token"), "utf8")).trim();
    return gateway;
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}

// A port from the kernel (listen on 0, then close) is free only until the next outgoing connection
// takes it. These come from just below the kernel's ephemeral range, which it never hands out by itself.
async function freePort() {
  let low = 32768;
  try {
    low = Number((await readFile("/proc/sys/net/ipv4/ip_local_port_range", "utf8")).trim().split(/\s+/)[0]) || low;
  } catch {
    // Not Linux: assume the default range.
  }
  let last = Math.max(low - 1, 11024);
  let first = Math.max(1024, last - 10000);
  // scripts/test.sh runs two suites at once and gives each its own half of the range.
  const given = (process.env.GANTRY_TEST_PORT_RANGE ?? "").match(/^(\d+)-(\d+)$/);
  if (given && Number(given[1]) >= 1024 && Number(given[1]) < Number(given[2]) && Number(given[2]) <= 65535) {
    [first, last] = [Number(given[1]), Number(given[2])];
  }
  for (let tries = 0; tries < 200; tries++) {
    const port = first + Math.floor(Math.random() * (last - first + 1));
    const free = await new Promise((resolveFree) => {
      const server = createServer();
      server.once("error", () => resolveFree(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolveFree(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free loopback port in ${first}-${last}`);
}

async function freePorts(count) {
  const ports = new Set();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
