// Tokens: the signed-in user's own API tokens (GET /api/v1/tokens), a new one (POST, its secret
// shown this once), and revocation by id (DELETE /api/v1/tokens/{id}). Secrets are never listed.
import { getJson, postJson, send } from "../api";
import { h, replace, showError, status, time } from "../dom";
import type { Route } from "../router";
import { session } from "../session";
import type { IssuedToken, Token } from "../types";

/** What the form offers for expiresIn; "" leaves it to the gateway (Gantry:Tokens:DefaultLifetimeDays). */
const EXPIRY: [string, string][] = [
  ["1d", "1 day"],
  ["30d", "30 days"],
  ["90d", "90 days"],
  ["", "The gateway's default (never, unless configured)"],
];

export async function tokensPage(main: HTMLElement, _route: Route, signal: AbortSignal): Promise<void> {
  const message = status();
  const issued = h("div", { class: "issued" });
  const list = h("div", {});

  const description = h("input", { id: "token-description", name: "description", maxlength: 200, autocomplete: "off" });
  const expiry = h("select", { id: "token-expiry", name: "expiresIn" },
    EXPIRY.map(([value, label]) => h("option", { value, selected: value === "30d" }, label)));
  const createButton = h("button", { type: "submit" }, "Create token");
  const form = h("form", { class: "filters", "aria-label": "Create a token" },
    h("div", { class: "field" }, h("label", { for: "token-description" }, "Description"), description),
    h("div", { class: "field" }, h("label", { for: "token-expiry" }, "Expires in"), expiry),
    createButton);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void create();
  });

  replace(main,
    h("h1", {}, "Tokens"),
    h("p", { class: "hint" },
      "Your API tokens, for the CLI and scripts (", h("code", {}, "Authorization: Bearer …"), "). ",
      "A token's secret is shown once, when it is created; the gateway keeps only its hash. ",
      "Revoking a token refuses it from the next request."),
    h("section", { "aria-labelledby": "new-token" }, h("h2", { id: "new-token" }, "New token"), form, issued),
    message,
    h("section", { "aria-labelledby": "your-tokens" }, h("h2", { id: "your-tokens" }, "Your tokens"), list));

  async function create(): Promise<void> {
    createButton.disabled = true;
    message.classList.remove("error");
    message.textContent = "";
    issued.replaceChildren();
    try {
      const body: Record<string, string> = {};
      if (description.value.trim()) body.description = description.value.trim();
      if (expiry.value) body.expiresIn = expiry.value;
      const token = await postJson<IssuedToken>("/api/v1/tokens", body);
      form.reset();
      expiry.value = "30d";
      showSecret(token);
      await load();
    } catch (error) {
      showError(message, error);
    } finally {
      createButton.disabled = false;
    }
  }

  function showSecret(token: IssuedToken): void {
    const secret = h("input", { id: "token-secret", readonly: true, value: token.token, class: "secret", spellcheck: "false", autocomplete: "off" });
    secret.addEventListener("focus", () => secret.select());
    replace(issued, h("div", { class: "panel", role: "region", "aria-labelledby": "issued-title" },
      h("h3", { id: "issued-title" }, `Token ${token.id} created`),
      h("label", { for: "token-secret" }, "Secret"),
      h("div", { class: "row" }, secret),
      h("p", { class: "hint" },
        "Copy it now (select it and press Ctrl+C, or ⌘C): it is shown this once and cannot be shown again. ",
        token.expiresAt ? `It expires ${time(token.expiresAt)}.` : "It never expires."),
      h("button", { type: "button", class: "secondary small", onclick: () => issued.replaceChildren() }, "Done, hide it")));
    secret.focus();
  }

  async function revoke(token: Token, button: HTMLButtonElement): Promise<void> {
    const warning = token.current
      ? `Revoke ${token.id}? This dashboard session was opened with it: revoking it signs you out here.`
      : `Revoke ${token.id}? Anything using it is refused from the next request.`;
    if (!window.confirm(warning)) {
      return;
    }
    button.disabled = true;
    message.classList.remove("error");
    try {
      await send(`/api/v1/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
    } catch (error) {
      showError(message, error);
      button.disabled = false;
      return;
    }
    if (token.current) {
      // The session cookie stands on that token: the gateway refuses it from now on.
      session.expired(`you revoked ${token.id}, the token this session was opened with. Sign in with another token.`);
      return;
    }
    message.textContent = `Revoked token ${token.id}.`;
    await load();
  }

  async function load(): Promise<void> {
    const tokens = (await getJson<{ items: Token[] }>("/api/v1/tokens", signal)).items;
    replace(list, tokens.length === 0 ? h("p", { class: "hint" }, "You have no tokens.") : render(tokens));
  }

  function render(tokens: Token[]): HTMLElement {
    return h("table", { class: "tokens" },
      h("caption", { class: "visually-hidden" }, "Your tokens"),
      h("thead", {}, h("tr", {}, ["Token", "Description", "Created", "Expires", "Last used", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, tokens.map((t) => {
        const button = h("button", { type: "button", class: "secondary small", "aria-label": `Revoke token ${t.id}` }, "Revoke");
        button.addEventListener("click", () => void revoke(t, button));
        return h("tr", { "data-token": t.id },
          h("th", { scope: "row", class: "id" }, t.id, t.current ? h("span", { class: "hint" }, " (this session)") : null),
          h("td", {}, t.description),
          h("td", {}, time(t.createdAt)),
          h("td", {}, t.expiresAt ? time(t.expiresAt) : "never", t.expired ? h("span", { class: "error" }, " (expired)") : null),
          h("td", {}, t.lastUsedAt ? time(t.lastUsedAt) : "not yet"),
          h("td", {}, button));
      })));
  }

  await load();
}
