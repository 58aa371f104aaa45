// The dashboard signs in once per browser, not per tab: POST /api/v1/session trades the token for a
// session cookie that is HttpOnly (no page script can read it) and SameSite=Strict, and that every
// tab of this browser then sends to the API. The token itself is kept nowhere: not in storage, not
// in a cookie, not in memory once the sign-in form is done with it. Unsafe calls carry the CSRF
// token the gateway answers with the session, kept in this tab's memory only; no other origin can
// read it (the API answers no CORS), so a page elsewhere cannot make those calls with the cookie.
import type { Me } from "./types";

/** GET|POST /api/v1/session. */
export interface SessionInfo {
  user: Me;
  tokenId: string;
  expiresAt: string | null;
  csrfToken: string | null;
}

type Listener = (reason?: string) => void;
const listeners: Listener[] = [];
let current: SessionInfo | null = null;

export const session = {
  user(): Me | null {
    return current?.user ?? null;
  },

  csrfToken(): string | null {
    return current?.csrfToken ?? null;
  },

  /** Asks the gateway whether this browser is signed in (a new tab, a reload): true if it is. */
  async restore(): Promise<boolean> {
    const response = await fetch("/api/v1/session", { headers: { Accept: "application/json" } });
    current = response.status === 200 ? ((await response.json()) as SessionInfo) : null;
    return current !== null;
  },

  /** The answer of a successful POST /api/v1/session. */
  signedIn(info: SessionInfo): void {
    current = info;
  },

  async signOut(): Promise<void> {
    const csrf = current?.csrfToken;
    current = null;
    try {
      await fetch("/api/v1/session", { method: "DELETE", headers: csrf ? { "X-CSRF-Token": csrf } : {} });
    } finally {
      listeners.forEach((l) => l());
    }
  },

  /** The gateway refused the session (401): forget it and show the sign-in page with why. */
  expired(reason: string): void {
    current = null;
    listeners.forEach((l) => l(reason));
  },

  onSignOut(listener: Listener): void {
    listeners.push(listener);
  },
};
