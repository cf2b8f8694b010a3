// Which object came first, as Gateway API decides conflicts: the older creationTimestamp wins, then
// namespace/name. An object without a (parseable) creationTimestamp, as in `portico render` from files, counts
// as newer than any object that has one, so among files the order is namespace/name.
import { compareStrings } from './source-objects.js';

export interface Aged {
  /** creationTimestamp in ms since the epoch; Infinity when absent. */
  createdAtMs: number;
  namespace: string;
  name: string;
}

export function creationTimeOf(obj: unknown): number {
  const t = (obj as { metadata?: { creationTimestamp?: unknown } } | null)?.metadata?.creationTimestamp;
  const ms = typeof t === 'string' ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : Infinity;
}

/** Older first; ties (same second, or both without a timestamp) by namespace, then name. */
export function compareAge(a: Aged, b: Aged): number {
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs < b.createdAtMs ? -1 : 1;
  return compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name);
}

/** For messages, after "which came first": when it was created, or why namespace/name order decided. */
export function ageText(a: Aged): string {
  return Number.isFinite(a.createdAtMs)
    ? `created ${new Date(a.createdAtMs).toISOString().replace('.000Z', 'Z')}`
    : 'by namespace/name, without a creationTimestamp';
}
