// Emissary's durations (integer milliseconds in *_ms fields, Go duration strings such as "0.5s" elsewhere, a
// number of seconds in cors.max_age) as Portico's duration strings ("3s", "500ms", "1m30s"). Pure.

/** Whole milliseconds as the shortest Portico duration: 3000 → "3s", 1500 → "1500ms", 90000 → "90s"; 0 → "0s". */
export function durationFromMs(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** A Go duration string ("1.5s", "250ms", "1h30m") in milliseconds, or undefined if it is not one. */
export function goDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (!/^([0-9]+(\.[0-9]+)?(h|m|s|ms|us|µs|ns))+$/.test(s)) return s === '0' ? 0 : undefined;
  let total = 0;
  for (const [, n, unit] of s.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|us|µs|ns|h|m|s)/g)) total += Number(n) * UNIT_MS[unit];
  return total;
}

/** Whether a number of milliseconds is one Portico can write (a whole, non-negative number). */
export const isWholeMs = (ms: unknown): ms is number =>
  typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 && ms < 1e15;
