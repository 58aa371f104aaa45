// Who is signed in: admins see the cluster and queue actions, users their own jobs.
import { session } from "./session";
import type { Me } from "./types";

export function me(): Me | null {
  return session.user();
}

export function isAdmin(): boolean {
  return me()?.role === "admin";
}
