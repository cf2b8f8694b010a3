// Envoy's `/stats?format=json` answer → stat name → value (counters and gauges; histograms are not read). Pure.

/** Throws with what was wrong when the body is not Envoy's stats JSON. */
export function parseEnvoyStatsJson(body: string): Map<string, number> {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new Error(`Envoy's /stats answer is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const stats = (doc as { stats?: unknown }).stats;
  if (!Array.isArray(stats)) throw new Error('Envoy\'s /stats answer has no "stats" list');
  const values = new Map<string, number>();
  for (const s of stats as Array<{ name?: unknown; value?: unknown }>) {
    if (typeof s?.name === 'string' && typeof s.value === 'number') values.set(s.name, s.value);
  }
  return values;
}
