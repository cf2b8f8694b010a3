// Watch events with their arrival time, from client-node watches, and a way to wait for the first event (already
// seen or still to come) that satisfies a predicate. Measurements are event-driven: nothing polls.
import * as k8s from '@kubernetes/client-node';

export interface LoggedEvent {
  stream: string;
  type: string;
  obj: any;
  at: number;
}

interface Waiter {
  from: number;
  match: (e: LoggedEvent) => boolean;
  resolve: (e: LoggedEvent | undefined) => void;
  timer: NodeJS.Timeout;
}

export class EventLog {
  readonly events: LoggedEvent[] = [];
  private waiters = new Set<Waiter>();
  private aborts: AbortController[] = [];
  readonly errors: string[] = [];

  constructor(private readonly kc: k8s.KubeConfig) {}

  /** Starts a watch on `path` (e.g. /api/v1/namespaces/x/configmaps) from now on. */
  async watch(stream: string, path: string, query: Record<string, string> = {}): Promise<void> {
    const w = new k8s.Watch(this.kc);
    const ac = await w.watch(
      path,
      { allowWatchBookmarks: 'false', ...query },
      (type, obj) => this.push({ stream, type, obj, at: performance.now() }),
      (err) => {
        if (err && !String(err).includes('aborted')) this.errors.push(`${stream}: ${String(err)}`);
      },
    );
    this.aborts.push(ac);
  }

  push(e: LoggedEvent): void {
    const i = this.events.push(e) - 1;
    for (const w of this.waiters) {
      if (i >= w.from && w.match(e)) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(e);
      }
    }
  }

  get mark(): number {
    return this.events.length;
  }

  /** The first event at index ≥ from matching `match`, or undefined after timeoutMs. */
  waitFor(from: number, match: (e: LoggedEvent) => boolean, timeoutMs: number): Promise<LoggedEvent | undefined> {
    for (let i = from; i < this.events.length; i++) if (match(this.events[i])) return Promise.resolve(this.events[i]);
    return new Promise((resolve) => {
      const w: Waiter = {
        from,
        match,
        resolve,
        timer: setTimeout(() => (this.waiters.delete(w), resolve(undefined)), timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  count(from: number, match: (e: LoggedEvent) => boolean): number {
    let n = 0;
    for (let i = from; i < this.events.length; i++) if (match(this.events[i])) n++;
    return n;
  }

  close(): void {
    for (const a of this.aborts) a.abort();
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve(undefined);
    }
    this.waiters.clear();
  }
}

export const HASH_ANNOTATION = 'portico.dev/config-hash';

export function condition(
  obj: any,
  type: string,
): { status: string; reason: string; message: string; observedGeneration?: number } | undefined {
  return obj?.status?.conditions?.find((c: any) => c.type === type);
}

/** The Mapping/TLSContext is Programmed=True for its current generation. */
export function programmedNow(obj: any): boolean {
  const c = condition(obj, 'Programmed');
  const gen = obj?.metadata?.generation;
  return (
    c?.status === 'True' &&
    (c.observedGeneration === undefined || c.observedGeneration === gen) &&
    (obj?.status?.observedGeneration ?? gen) === gen
  );
}

/** The config hash a published ConfigMap belongs to: portico-envoy-<hash> or, for further parts, -<hash>-<i>. */
export function configMapHash(name: string): string | undefined {
  return /^portico-envoy-([0-9a-f]+)(-\d+)?$/.exec(name)?.[1];
}

export function templateHash(deployment: any): string | undefined {
  return deployment?.spec?.template?.metadata?.annotations?.[HASH_ANNOTATION];
}
