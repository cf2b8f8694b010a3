// Kubernetes-style durations as the Mapping schema writes them: "3s", "500ms", "1m30s" (units h, m, s, ms).

const DURATION = /^(?:[0-9]{1,9}(?:h|ms|m|s))+$/;
const PART = /([0-9]{1,9})(h|ms|m|s)/g;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds, or undefined when `text` is not such a duration. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || !DURATION.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return Number.isSafeInteger(ms) ? ms : undefined;
}
