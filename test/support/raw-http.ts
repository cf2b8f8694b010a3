// Raw HTTP against the embedded API server, for tests that assert exact wire bodies, headers and watch
// streams (what client libraries would hide).

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function request(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export interface WatchStream {
  status: number;
  /** Events received so far ({type, object}). */
  events: any[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Waits until `n` events have arrived (or throws after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<any[]>;
  close(): void;
}

export async function watch(base: string, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const controller = new AbortController();
  const res = await fetch(`${base}${path}`, {
    headers: { Accept: 'application/json', ...headers },
    signal: controller.signal,
  });
  const events: any[] = [];
  const waiters: Array<() => void> = [];
  const ended = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line));
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      // aborted by close()
    }
    waiters.splice(0).forEach((w) => w());
  })();
  let finished = false;
  void ended.then(() => (finished = true));
  return {
    status: res.status,
    events,
    ended,
    async waitFor(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < n) {
        if (finished)
          throw new Error(`stream ended after ${events.length} events, wanted ${n}: ${JSON.stringify(events)}`);
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`timed out after ${events.length} events, wanted ${n}: ${JSON.stringify(events)}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
      return events;
    },
    close: () => controller.abort(),
  };
}
