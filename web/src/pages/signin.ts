import { h, replace, status } from "../dom";
import { session, type SessionInfo } from "../session";

/**
 * Asks for a token (an admin's is in <data dir>/admin.token) and trades it for the browser's session
 * cookie (POST /api/v1/session). The token goes to the gateway once and is kept nowhere after.
 */
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
      "; a user gets one from ", h("code", {}, "gantry tokens create"), ". Every tab of this browser stays signed in until you sign out."),
    h("button", { type: "submit" }, "Sign in"),
    message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    message.classList.remove("error");
    message.textContent = "Checking the token…";
    try {
      const response = await fetch("/api/v1/session", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ token }),
      });
      if (!response.ok) {
        const problem = await response.json().catch(() => ({})) as { detail?: string; errors?: Record<string, string[]> };
        message.classList.add("error");
        message.textContent = response.status === 401
          ? problem.errors?.token?.[0] ?? "The gateway does not know this token."
          : `Could not sign in: ${problem.detail ?? `HTTP ${response.status}`}`;
        return;
      }
      session.signedIn((await response.json()) as SessionInfo);
    } catch (error) {
      message.classList.add("error");
      message.textContent = `Could not reach the gateway: ${String(error)}`;
      return;
    } finally {
      input.value = "";
    }
    await signedIn();
  });
  replace(main, form);
  input.focus();
}
