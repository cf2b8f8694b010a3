// Order statistics for benchmark samples. Percentiles use the nearest-rank method, so p99 of 50 samples is
// the largest one (an honest upper figure rather than an interpolation between samples).

export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarise(samples: number[]): Summary {
  const n = samples.length;
  return {
    n,
    min: n ? Math.min(...samples) : NaN,
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: n ? Math.max(...samples) : NaN,
    mean: n ? samples.reduce((a, b) => a + b, 0) / n : NaN,
  };
}

/** Rounds to `digits` decimals for tables and JSON (NaN stays NaN → null in JSON). */
export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
