// How many samples a property test draws. `npm test` draws each test's own number; `npm run test:unit` sets
// PROPERTY_RUNS_SCALE=0.25 so the pure tier stays a few seconds long: the same properties, fewer samples.
const MIN_RUNS = 20;

function scale(): number {
  const raw = process.env.PROPERTY_RUNS_SCALE;
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`PROPERTY_RUNS_SCALE must be a positive number (1 = every sample), got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** `runs` scaled by PROPERTY_RUNS_SCALE, never below MIN_RUNS (nor above `runs` when the scale is under 1). */
export function propertyRuns(runs: number): number {
  const s = scale();
  return s >= 1 ? Math.round(runs * s) : Math.max(Math.min(MIN_RUNS, runs), Math.round(runs * s));
}
