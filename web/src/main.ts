import "./styles.css";
import { h, replace } from "./dom";
import { interceptLinks, match, navigate, route } from "./router";
import { session } from "./session";
import { signInPage } from "./pages/signin";
import { jobsPage } from "./pages/jobs";
import { jobPage } from "./pages/job";
import { queuesPage } from "./pages/queues";
import { clustersPage } from "./pages/clusters";
import { experimentsPage } from "./pages/experiments";
import { experimentPage } from "./pages/experiment";
import { tokensPage } from "./pages/tokens";
import { auditPage } from "./pages/audit";

route("/", (_main, route) => navigate("/jobs" + (route.search.size ? `?${route.search}` : ""), true));
route("/jobs", jobsPage);
route("/jobs/:id", jobPage);
route("/experiments", experimentsPage);
route("/experiments/:id", experimentPage);
route("/queues", queuesPage);
route("/clusters", clustersPage);
route("/tokens", tokensPage);
route("/audit", auditPage);

const main = document.getElementById("main")!;
const nav = document.getElementById("nav")!;
const who = document.getElementById("who")!;
let current: AbortController | null = null;
let signOutReason: string | undefined;
// A new tab (or a reload) asks the gateway once whether this browser is signed in.
let restoring: Promise<unknown> | null = null;

async function render(): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;

  if (!session.user()) {
    // Unreachable gateway: the sign-in page says so when it is used.
    restoring ??= session.restore().catch(() => false);
    await restoring;
    if (current !== controller) {
      return; // another render began meanwhile
    }
  }
  const user = session.user();
  if (!user) {
    nav.hidden = true;
    replace(who);
    signInPage(main, signOutReason, async () => {
      signOutReason = undefined;
      await render();
    });
    return;
  }
  nav.hidden = false;
  // Only admins may read the audit trail; a user opening /audit is told so by the page.
  for (const link of nav.querySelectorAll<HTMLElement>("[data-admin]")) link.hidden = user.role !== "admin";
  markCurrentLink();
  replace(who,
    h("span", {}, `${user.name} (${user.role})`),
    h("button", { type: "button", class: "link", onclick: () => void session.signOut() }, "Sign out"));

  const found = match(location.pathname);
  if (!found) {
    replace(main, h("h1", {}, "Not found"), h("p", {}, "No such page. ", h("a", { href: "/jobs" }, "Go to the jobs.")));
    return;
  }
  try {
    await found.page(main, { path: location.pathname, params: found.params, search: new URLSearchParams(location.search) }, controller.signal);
  } catch (error) {
    if (!controller.signal.aborted) {
      replace(main, h("h1", {}, "Something went wrong"), h("p", { class: "error" }, error instanceof Error ? error.message : String(error)));
    }
  }
}

function markCurrentLink(): void {
  for (const link of nav.querySelectorAll("a")) {
    const here = location.pathname === link.getAttribute("href") || location.pathname.startsWith(link.getAttribute("href") + "/");
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

session.onSignOut((reason) => {
  signOutReason = reason;
  void render();
});
window.addEventListener("popstate", () => void render());
window.addEventListener("gantry:navigate", () => {
  void render().then(() => main.focus({ preventScroll: true }));
  window.scrollTo(0, 0);
});
interceptLinks();
void render();
