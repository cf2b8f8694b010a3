// Exponential back-off with jitter for restarting watches. Pure: the caller passes the random source.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** Fraction of the delay added at random, e.g. 0.2 → up to +20 %. Spreads restarts of many informers. */
  jitter: number;
}

// Capped at 5 s, not client-go's 30 s: every second an informer waits after the API server is back is a
// second of stale routing. The full reliability run (10 s refusals, repeated partitions) converged in up to
// 17 s with a 30 s cap, because consecutive failures had pushed the next restart 12.8 s out.
export const DEFAULT_WATCH_BACKOFF: BackoffPolicy = { initialMs: 200, maxMs: 5_000, jitter: 0.2 };

/** Delay before restart attempt number `attempt` (0-based). */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (1 + policy.jitter * random()));
}
