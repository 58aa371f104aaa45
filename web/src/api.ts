// Every call to the gateway goes through here: the session cookie (sent by the browser, never read
// here), the CSRF header on unsafe methods, JSON, and RFC 7807 problems.
import { session } from "./session";

/** A problem details answer (4xx/5xx); `errors` names each bad field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: Record<string, string[]>,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }

  /** The field errors as "field: message" lines, for a form to show. */
  fieldMessages(): string[] {
    return Object.entries(this.errors).flatMap(([field, messages]) => messages.map((m) => `${field}: ${m}`));
  }
}

const CSRF_HEADER = "X-CSRF-Token";
const SAFE = ["GET", "HEAD", "OPTIONS"];

function headersFor(method: string, extra: Record<string, string>): Record<string, string> {
  const csrf = session.csrfToken();
  return csrf && !SAFE.includes(method.toUpperCase()) ? { ...extra, [CSRF_HEADER]: csrf } : extra;
}

/** fetch with the session; a non-2xx answer becomes an ApiError; a 401 signs out. */
export async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const method = init.method ?? "GET";
  const call = () => fetch(path, { ...init, headers: headersFor(method, (init.headers as Record<string, string> | undefined) ?? {}) });
  let response = await call();
  if (response.status === 403 && !SAFE.includes(method.toUpperCase())) {
    // A CSRF token that no longer fits (the gateway's keys rolled, another tab signed in again):
    // read the session's current one and try once more.
    const error = await problemOf(response.clone());
    if (CSRF_HEADER in error.errors && (await session.restore())) {
      response = await call();
    }
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401) {
      session.expired(error.detail ?? error.message);
    }
    throw error;
  }
  return response;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await send(path, { signal, headers: { Accept: "application/json" } });
  return (await response.json()) as T;
}

export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const response = await send(path, {
    method: "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: { title?: string; detail?: string; errors?: Record<string, string[]> } = {};
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : {};
  } catch {
    // Not JSON (a proxy's page, say): the status says enough.
  }
  return new ApiError(response.status, body.title ?? response.statusText ?? `HTTP ${response.status}`, body.detail, body.errors ?? {});
}

/** Query string from the non-empty values. */
export function query(params: Record<string, string | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value) {
      search.set(key, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
