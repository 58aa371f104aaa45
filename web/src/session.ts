// The signed-in token lives in sessionStorage: it goes when the tab closes and is never sent
// anywhere but this gateway's API in an Authorization header. Never in a cookie: Spark UIs open on
// their own origin through signed links (pages/job.ts), and the API authenticates no cookie.
const KEY = "gantry.token";

type Listener = (reason?: string) => void;
const listeners: Listener[] = [];

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },

  async signIn(token: string): Promise<void> {
    sessionStorage.setItem(KEY, token);
  },

  async signOut(): Promise<void> {
    sessionStorage.removeItem(KEY);
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
