// Totals of Envoy counters over every Envoy pod this operator has seen, across pod restarts and pods that go
// away (docs/statistics.md, "Counters across restarts"). For each pod it keeps the values of its last scrape and
// adds what grew since; the totals themselves are one sum per stat name, kept when the pod goes. So:
// - a pod first seen (new, or running before this operator started) counts from zero: its whole life so far;
// - an Envoy that restarted inside its pod (its uptime went down, or any counter did) counts from zero again,
//   so nothing it counted before the restart is taken away, and nothing is counted twice;
// - a pod that is gone keeps what it counted up to its last scrape; requests after that scrape are not seen
//   (at most one scrape interval's worth);
// - a stat that disappears (a route or cluster removed) keeps its total; if it comes back it counts from zero.
// Pure: no clock, no I/O.

export interface PodScrape {
  /** Envoy's server.uptime in seconds, if read: a lower value than last time means Envoy restarted. */
  uptimeSeconds?: number;
  /** Counter name → value, as Envoy reports them (cumulative since that Envoy started). */
  counters: ReadonlyMap<string, number>;
}

export class CounterLedger {
  private readonly last = new Map<string, { uptime?: number; counters: ReadonlyMap<string, number> }>();
  private readonly sums = new Map<string, number>();

  /** Adds what `pod`'s counters grew by since its previous scrape; returns whether Envoy had restarted. */
  observe(pod: string, scrape: PodScrape): { restarted: boolean } {
    const before = this.last.get(pod);
    let restarted = false;
    if (before) {
      restarted =
        scrape.uptimeSeconds !== undefined && before.uptime !== undefined && scrape.uptimeSeconds < before.uptime;
      if (!restarted)
        for (const [name, value] of scrape.counters) if (value < (before.counters.get(name) ?? 0)) restarted = true;
    }
    for (const [name, value] of scrape.counters) {
      const grew = restarted || !before ? value : value - (before.counters.get(name) ?? 0);
      if (grew > 0) this.sums.set(name, (this.sums.get(name) ?? 0) + grew);
      else if (!this.sums.has(name)) this.sums.set(name, 0);
    }
    this.last.set(pod, { uptime: scrape.uptimeSeconds, counters: scrape.counters });
    return { restarted };
  }

  /** The pod is gone: what it counted stays in the totals; only its last values are dropped. */
  retire(pod: string): void {
    this.last.delete(pod);
  }

  /** Pods with a last scrape, i.e. not retired. */
  pods(): string[] {
    return [...this.last.keys()];
  }

  /** Stat name → total over all pods, ever. */
  totals(): ReadonlyMap<string, number> {
    return this.sums;
  }

  /** Drops totals the report no longer shows (a Mapping or Service gone from the config), so memory stays bounded. */
  forget(keep: (name: string) => boolean): void {
    for (const name of this.sums.keys()) if (!keep(name)) this.sums.delete(name);
  }
}
