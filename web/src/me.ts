// Who is signed in: admins see the cluster and queue actions, users their own jobs.
import { getJson } from "./api";
import type { Me } from "./types";

let current: Me | null = null;

export async function loadMe(): Promise<Me> {
  current = await getJson<Me>("/api/v1/whoami");
  return current;
}

export function setMe(value: Me): void {
  current = value;
}

export function me(): Me | null {
  return current;
}

export function isAdmin(): boolean {
  return current?.role === "admin";
}

export function forgetMe(): void {
  current = null;
}
