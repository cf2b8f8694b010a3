// Fault injection, driven from test code through `server.faults`: close every open watch, answer the next N
// (matching) requests with 410/429/500, add latency, refuse connections for a while, restart. Every injected
// fault is counted, so a test can assert the fault really happened.
import { ApiError, expired, internalError, tooManyRequests } from '../encoding/status-errors.js';

export interface RequestFilter {
  /** Exact method (case-insensitive) or a RegExp. */
  method?: string | RegExp;
  /** RegExp (or substring) tested against the path with its query string. */
  path?: string | RegExp;
}

export interface FailureFault extends RequestFilter {
  status: 410 | 429 | 500;
  /** For 429: the Retry-After seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface FaultCounts {
  closedWatches: number;
  failedRequests: number;
  delayedRequests: number;
  refusedPeriods: number;
  restarts: number;
}

/** What the listener lets the injector do to it. */
export interface ListenerControl {
  closeWatches(): number;
  stopListening(): Promise<void>;
  startListening(): Promise<void>;
}

function matches(f: RequestFilter, method: string, path: string): boolean {
  if (
    f.method !== undefined &&
    !(typeof f.method === 'string' ? f.method.toUpperCase() === method.toUpperCase() : f.method.test(method))
  )
    return false;
  if (f.path !== undefined && !(typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))) return false;
  return true;
}

export class FaultInjector {
  readonly counts: FaultCounts = {
    closedWatches: 0,
    failedRequests: 0,
    delayedRequests: 0,
    refusedPeriods: 0,
    restarts: 0,
  };
  private failures: Array<FailureFault & { remaining: number }> = [];
  private latency: Array<RequestFilter & { ms: number }> = [];

  constructor(private readonly listener: ListenerControl) {}

  /** Total faults injected so far. */
  get injected(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  /** Ends every open watch stream cleanly (as the real server does at its watch timeout); returns how many. */
  closeWatches(): number {
    const n = this.listener.closeWatches();
    this.counts.closedWatches += n;
    return n;
  }

  /** Answers the next `count` requests matching the filter with the given status. */
  failNext(count: number, fault: FailureFault): void {
    this.failures.push({ ...fault, remaining: count });
  }

  /** Delays every matching response by `ms` until clearLatency(). */
  addLatency(ms: number, filter: RequestFilter = {}): void {
    this.latency.push({ ...filter, ms });
  }

  clearLatency(): void {
    this.latency = [];
  }

  /** Closes the listener (connections are refused) and reopens it on the same port after `ms`. */
  async refuseConnections(ms: number): Promise<void> {
    this.counts.refusedPeriods++;
    await this.listener.stopListening();
    await new Promise((r) => setTimeout(r, ms));
    await this.listener.startListening();
  }

  /** Closes and reopens the listener at once, keeping all state (a server restart without data loss). */
  async restart(): Promise<void> {
    this.counts.restarts++;
    await this.listener.stopListening();
    await this.listener.startListening();
  }

  /** Called per request: the delay to add and the error to answer with, if any. */
  intercept(method: string, path: string): { delayMs: number; error?: ApiError } {
    let delayMs = 0;
    for (const l of this.latency) if (matches(l, method, path)) delayMs = Math.max(delayMs, l.ms);
    if (delayMs > 0) this.counts.delayedRequests++;
    const f = this.failures.find((x) => x.remaining > 0 && matches(x, method, path));
    if (!f) return { delayMs };
    f.remaining--;
    this.failures = this.failures.filter((x) => x.remaining > 0);
    this.counts.failedRequests++;
    let error: ApiError;
    if (f.status === 429) error = tooManyRequests(f.retryAfterSeconds ?? 1);
    else if (f.status === 410) error = new ApiError(expired('too old resource version: injected fault'));
    else error = internalError('injected fault');
    return { delayMs, error };
  }
}
