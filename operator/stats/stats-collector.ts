// Collects the statistics of every Envoy pod: scrapes them all at once, on request (so an answer counts every
// request finished before it was asked) and every intervalMs (so a pod that goes away has been read recently),
// one collection at a time (a ledger must see each pod's scrapes in order). Writes nothing anywhere.
import { CounterLedger } from './counter-ledger.js';
import { scrapeEnvoyStats, type EnvoyStatsScrape } from './envoy-scrape.js';
import { buildStatsReport, statStillShown, type EnvoyPodStats, type StatsReport } from './stats-report.js';

export interface EnvoyPodTarget {
  /** Stable identity of this pod (its UID): a pod of the same name later is another pod. */
  key: string;
  name: string;
  /** Where its stats are, e.g. http://<pod IP>:8003; undefined before the pod has an IP. */
  statsUrl?: string;
  /** The config hash it runs. */
  version: string;
}

export interface ServedObjects {
  services: readonly string[];
  mappings: readonly string[];
}

/**
 * Where the figures come from: the Envoy pods, or what `portico dev` runs (the dev gateway's counters; or its real
 * Envoy: `{ pods: () => [{ key: 'portico-dev-envoy', name: …, statsUrl: 'http://127.0.0.1:<admin port>', version }] }`,
 * scraped with scrapeEnvoyStats, whose admin answers the same /stats). Keep one key across hot-restart epochs: on
 * Envoy 1.40 the new epoch's counters start from zero once the parent exits while its uptime carries on, so the
 * ledger sees the counters go down and counts the new epoch from zero (measured after the parent exited; what a read
 * during the drain window sees, while Envoy may merge the parent's stats into the child's, was not measured).
 */
export interface EnvoyStatsSource {
  /** The Envoys that exist now (terminating pods included: they still serve while they drain). */
  pods: () => EnvoyPodTarget[];
  /** Default: scrapeEnvoyStats (HTTP GET <statsUrl>/stats). */
  scrape?: (url: string, timeoutMs: number) => Promise<EnvoyStatsScrape>;
}

export interface StatsCollectorOptions extends EnvoyStatsSource {
  /** The Services and Mappings of the config being served (undefined before there is one). */
  served: () => ServedObjects | undefined;
  /** Ready and total endpoints of a Service Envoy reaches through its ClusterIP; undefined: use Envoy's membership. */
  endpointCounts?: (service: string) => { healthy: number; total: number } | undefined;
  /** Background collection period (default 10 s, longer when a collection is slow: see start()); 0 disables it. */
  intervalMs?: number;
  timeoutMs?: number;
  onError?: (pod: string, error: string) => void;
}

export class StatsCollector {
  private readonly ledger = new CounterLedger();
  private readonly countingSince = new Date().toISOString();
  private tail: Promise<unknown> = Promise.resolve();
  private queued?: Promise<StatsReport>;
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(private readonly opts: StatsCollectorOptions) {}

  /**
   * Collects every intervalMs, or every ten times as long as the last collection took if that is longer: reading a
   * big Envoy's /stats costs its main thread (bench/stats.ts), so the background reads take at most a tenth of it.
   */
  start(): void {
    const every = this.opts.intervalMs ?? 10_000;
    if (every <= 0 || this.running) return;
    this.running = true;
    const next = (lastMs: number) => {
      if (!this.running) return;
      this.timer = setTimeout(
        () => {
          const t0 = Date.now();
          void this.report()
            .catch(() => undefined)
            .then(() => next(Date.now() - t0));
        },
        Math.max(every, 10 * lastMs),
      );
      this.timer.unref();
    };
    next(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A report from a collection that starts after this call (joined by calls made before it starts). */
  report(): Promise<StatsReport> {
    if (this.queued) return this.queued;
    const next = this.tail.then(() => {
      this.queued = undefined;
      return this.collect();
    });
    this.queued = next;
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async collect(): Promise<StatsReport> {
    const pods = this.opts.pods();
    const present = new Set(pods.map((p) => p.key));
    for (const key of this.ledger.pods()) if (!present.has(key)) this.ledger.retire(key);
    const scrape = this.opts.scrape ?? scrapeEnvoyStats;
    const timeoutMs = this.opts.timeoutMs ?? 2000;
    const results = await Promise.all(
      pods.map(async (p) => {
        if (!p.statsUrl) return { pod: p, error: 'the pod has no IP yet' };
        try {
          return { pod: p, scrape: await scrape(p.statsUrl, timeoutMs) };
        } catch (err) {
          return { pod: p, error: (err as Error).message };
        }
      }),
    );
    const envoys: EnvoyPodStats[] = [];
    const upPodGauges: Map<string, number>[] = [];
    for (const r of results) {
      if (r.scrape) {
        this.ledger.observe(r.pod.key, { uptimeSeconds: r.scrape.uptimeSeconds, counters: r.scrape.counters });
        upPodGauges.push(r.scrape.gauges);
        envoys.push({ pod: r.pod.name, version: r.pod.version, up: true });
      } else {
        this.opts.onError?.(r.pod.name, r.error ?? '');
        envoys.push({ pod: r.pod.name, version: r.pod.version, up: false, error: r.error });
      }
    }
    envoys.sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
    const served = this.opts.served() ?? { services: [], mappings: [] };
    const services = new Set(served.services);
    const mappings = new Set(served.mappings);
    // Only against a config: before the first one is known, nothing is forgotten.
    if (this.opts.served()) this.ledger.forget((name) => statStillShown(name, services, mappings));
    return buildStatsReport({
      totals: this.ledger.totals(),
      upPodGauges,
      envoys,
      services: served.services,
      mappings: served.mappings,
      endpointCounts: this.opts.endpointCounts,
      collectedAt: new Date().toISOString(),
      countingSince: this.countingSince,
    });
  }
}
