// Reads one Envoy's counters over HTTP from its stats listener (:8003, envoy/stats-bootstrap.ts) or, for an Envoy
// `portico dev` runs, from its admin address: only the stats the report reads (SCRAPE_FILTER). The one I/O of
// this folder besides the collector's timers; `portico dev` calls it for the Envoy it runs.
import { SCRAPE_FILTER, UPTIME_STAT, statMeaning } from './envoy-stat-names.js';
import { parseEnvoyStatsJson } from './envoy-stats-json.js';

export interface EnvoyStatsScrape {
  uptimeSeconds?: number;
  /** Counter name → cumulative value. */
  counters: Map<string, number>;
  /** Gauge name → current value (cluster membership). */
  gauges: Map<string, number>;
}

/** `baseUrl` is e.g. `http://10.244.0.7:8003`; throws with the address and the reason when Envoy does not answer. */
export async function scrapeEnvoyStats(baseUrl: string, timeoutMs = 2000): Promise<EnvoyStatsScrape> {
  // usedonly: a counter never incremented is left out (it has grown by nothing), so the answer follows traffic, not
  // config size (at 1k Mappings of bench/stats.ts' mix: 0.5 KB instead of 49 KB).
  const url = `${baseUrl}/stats?format=json&usedonly&filter=${encodeURIComponent(SCRAPE_FILTER)}`;
  let body: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    body = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${body.slice(0, 200)}`);
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new Error(`${baseUrl}/stats: ${(err as Error).message}${cause ? ` (${cause})` : ''}`, { cause: err });
  }
  return splitStats(parseEnvoyStatsJson(body));
}

export function splitStats(values: ReadonlyMap<string, number>): EnvoyStatsScrape {
  const scrape: EnvoyStatsScrape = { counters: new Map(), gauges: new Map() };
  for (const [name, value] of values) {
    if (name === UPTIME_STAT) scrape.uptimeSeconds = value;
    const m = statMeaning(name);
    if (m) (m.counter ? scrape.counters : scrape.gauges).set(name, value);
  }
  return scrape;
}
