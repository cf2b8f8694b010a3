// Deadlines and back-off of the informers' API traffic: the compiler's inputs (cluster-cache.ts, with the
// Secret watches it starts) and the Envoy rollout (envoy-rollout-cache.ts) use the same.
import { DEFAULT_REQUEST_TIMEOUT_MS } from './api-clients.js';
import { DEFAULT_WATCH_BACKOFF, type BackoffPolicy } from './backoff.js';
import { DEFAULT_WATCH_TIMEOUTS, type WatchTimeouts } from './timed-watch.js';

/** Defaults suit a real cluster; tests shorten them. */
export interface InformerTimings {
  requestTimeoutMs: number;
  watch: WatchTimeouts;
  backoff: BackoffPolicy;
}

export const DEFAULT_INFORMER_TIMINGS: InformerTimings = {
  requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
  watch: DEFAULT_WATCH_TIMEOUTS,
  backoff: DEFAULT_WATCH_BACKOFF,
};
