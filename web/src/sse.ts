// Server-Sent Events read with fetch rather than EventSource: a 401 is seen (and signs out) instead
// of retried forever, and the reconnection sends Last-Event-ID itself. The session cookie goes along.
import { ApiError } from "./api";
import { session } from "./session";

export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

export interface SseOptions {
  onMessage: (message: SseMessage) => void;
  /** Called when the server ends the stream on purpose (a job's watch ends with the job). */
  onEnd?: () => void;
  onError?: (error: unknown) => void;
  /** Reconnect (with Last-Event-ID) when the connection drops; a job's watch ends for good instead. */
  reconnect?: boolean;
}

/** Reads the stream until `signal` aborts it. */
export async function readSse(path: string, signal: AbortSignal, options: SseOptions): Promise<void> {
  let lastId: string | null = null;
  let delay = 500;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      if (lastId) {
        headers["Last-Event-ID"] = lastId;
      }
      const response = await fetch(path, { headers, signal });
      if (!response.ok || !response.body) {
        if (response.status === 401) {
          session.expired("The session has ended (signed out, or its token was revoked or expired).");
        }
        throw new ApiError(response.status, response.statusText || `HTTP ${response.status}`, undefined, {});
      }
      delay = 500;
      for await (const message of messages(response.body)) {
        if (message.id) {
          lastId = message.id;
        }
        options.onMessage(message);
      }
      if (!options.reconnect) {
        options.onEnd?.();
        return;
      }
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      options.onError?.(error);
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
        return;
      }
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 10_000);
  }
}

async function* messages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.pipeThrough(new TextDecoderStream() as ReadableWritablePair<string, Uint8Array>).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value.replace(/\r\n?/g, "\n");
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message = parse(block);
      if (message) {
        yield message;
      }
    }
  }
}

function parse(block: string): SseMessage | null {
  let id: string | null = null;
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) {
      continue; // a comment: the server's keep-alive
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length > 0 ? { id, event, data: data.join("\n") } : null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
