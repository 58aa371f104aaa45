import { h, replace, status } from "../dom";
import { setMe } from "../me";
import { session } from "../session";
import type { Me } from "../types";

/** Asks for a bearer token (an admin's is in <data dir>/admin.token) and checks it with /whoami. */
export function signInPage(main: HTMLElement, reason: string | undefined, signedIn: () => Promise<void>): void {
  const input = h("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: true, spellcheck: "false" });
  const message = status();
  if (reason) {
    message.textContent = `Signed out: ${reason}`;
  }
  const form = h("form", { class: "signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in to Gantry"),
    h("label", { for: "token" }, "API token"),
    input,
    h("p", { class: "hint" }, "An admin's token is in ", h("code", {}, "<data dir>/admin.token"),
      "; a user gets one from ", h("code", {}, "gantry tokens create"), "."),
    h("button", { type: "submit" }, "Sign in"),
    message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    message.classList.remove("error");
    message.textContent = "Checking the token…";
    try {
      const response = await fetch("/api/v1/whoami", { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
      if (!response.ok) {
        message.classList.add("error");
        message.textContent = response.status === 401 ? "The gateway does not know this token." : `Could not sign in: HTTP ${response.status}`;
        return;
      }
      setMe((await response.json()) as Me);
    } catch (error) {
      message.classList.add("error");
      message.textContent = `Could not reach the gateway: ${String(error)}`;
      return;
    }
    await session.signIn(token);
    await signedIn();
  });
  replace(main, form);
  input.focus();
}
