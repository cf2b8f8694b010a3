// The change history watches resume from and paginated lists rebuild old snapshots with, bounded the way
// etcd's compaction bounds it: by the number of events and by their size, so one big object patched often
// cannot hold hundreds of full copies. Dropping the oldest events moves compactedRv forward; a watch or a
// continue token from before it gets 410 Expired.
import type { K8sObject, StoreEvent } from './stored-objects.js';

export interface HistoryLimits {
  /** At most this many events (default 10 000). */
  maxEvents: number;
  /** At most this many bytes of event objects, as JSON (default 32 MiB). */
  maxBytes: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxEvents: 10_000, maxBytes: 32 * 1024 * 1024 };

/**
 * Events in rv order. A MODIFIED/DELETED event's oldObject is the previous event's object (the store never
 * mutates a stored object), so counting each event's own object counts every copy the history keeps once.
 */
export class EventHistory {
  private events: StoreEvent[] = [];
  private sizes: number[] = [];
  private start = 0;
  private bytes = 0;
  private compacted = 0;

  constructor(private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {}

  /** Events with rv <= this are gone. */
  get compactedRv(): number {
    return this.compacted;
  }

  get size(): { events: number; bytes: number } {
    return { events: this.events.length - this.start, bytes: this.bytes };
  }

  push(e: StoreEvent, bytes: number): void {
    this.events.push(e);
    this.sizes.push(bytes);
    this.bytes += bytes;
    while (
      this.events.length - this.start > 1 &&
      (this.events.length - this.start > this.limits.maxEvents || this.bytes > this.limits.maxBytes)
    ) {
      this.bytes -= this.sizes[this.start];
      this.compacted = this.events[this.start].rv;
      // Release the event now: the slot stays until the prefix is sliced off below.
      this.events[this.start] = undefined as unknown as StoreEvent;
      this.start++;
    }
    // Drop the compacted prefix now and then, not on every push (splice is O(n)).
    if (this.start > 1024 && this.start * 2 > this.events.length) {
      this.events = this.events.slice(this.start);
      this.sizes = this.sizes.slice(this.start);
      this.start = 0;
    }
  }

  /** Events after `rv` for one resource, or 'expired' when the history no longer reaches back that far. */
  since(resource: string, rv: number): StoreEvent[] | 'expired' {
    if (rv < this.compacted) return 'expired';
    const out: StoreEvent[] = [];
    for (let i = this.events.length - 1; i >= this.start && this.events[i].rv > rv; i--)
      if (this.events[i].resource === resource) out.push(this.events[i]);
    return out.reverse();
  }

  /** Undoes the events after `rv` on a copy of one collection (keyed by namespace/name). */
  rewind(
    resource: string,
    current: Map<string, K8sObject>,
    rv: number,
    keyOf: (o: K8sObject) => string,
  ): Map<string, K8sObject> | 'expired' {
    if (rv < this.compacted) return 'expired';
    const state = new Map(current);
    for (let i = this.events.length - 1; i >= this.start && this.events[i].rv > rv; i--) {
      const e = this.events[i];
      if (e.resource !== resource) continue;
      if (e.type === 'ADDED') state.delete(keyOf(e.object));
      else if (e.oldObject) state.set(keyOf(e.object), e.oldObject);
    }
    return state;
  }

  /** Forgets everything: nothing before `rv` can be resumed (after loading saved state). */
  reset(rv: number): void {
    this.events = [];
    this.sizes = [];
    this.start = 0;
    this.bytes = 0;
    this.compacted = rv;
  }
}
