// The signed-in token lives in sessionStorage: it goes when the tab closes and is never sent
// anywhere but this gateway's API in an Authorization header.
const KEY = "gantry.token";

type Listener = (reason?: string) => void;
const listeners: Listener[] = [];

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },

  async signIn(token: string): Promise<void> {
    sessionStorage.setItem(KEY, token);
    // A cookie for the Spark UI link, which opens in a new tab without our header. Older gateways
    // have no session endpoint (404): the rest of the dashboard works without it.
    await fetch("/api/v1/session", { method: "POST", headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
  },

  async signOut(): Promise<void> {
    const token = this.token();
    sessionStorage.removeItem(KEY);
    if (token) {
      await fetch("/api/v1/session", { method: "DELETE", headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
    }
    listeners.forEach((l) => l());
  },

  /** The gateway refused the token (401): forget it and show the sign-in page with why. */
  expired(reason: string): void {
    sessionStorage.removeItem(KEY);
    listeners.forEach((l) => l(reason));
  },

  onSignOut(listener: Listener): void {
    listeners.push(listener);
  },
};
