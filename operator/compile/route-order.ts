// The routing contract: one comparator over the whole match, Emissary's order (emissary.md §1.4), so a Mapping
// migrated from Emissary wins the same requests. Most constrained first:
//  1. precedence (higher first);
//  2. path length (the prefix, exact path or regex as written: Emissary compares regexes by length too);
//  3. the summed length of the host, method and header constraints, each `len(name) + len(value or "*")`, plus
//     1 for a regex (the host as `:authority`, the method as `:method`);
//  4. the summed length of the query constraints, counted the same way.
// Then ours, so the order is total and independent of input order: path kind (exact, prefix, regex), host
// specificity (exact, longer wildcard, none), host, path, and finally the namespace/name of the first member.
// Within one virtual host step 3 agrees with host specificity: a wildcard that covers a name is never longer.
import { hostSpecificity } from './hosts.js';
import type { IRMatch, IRStringMatch } from './ir.js';
import { compareStrings } from './source-objects.js';

/** What the comparator reads: the match, with the host as written (undefined: any host). */
export interface OrderedMatch {
  host?: string;
  match: Omit<IRMatch, 'host'>;
  /** namespace/name of the first member: the last tie-break. */
  id: string;
}

const constraintLength = (name: string, value: string | undefined, regex: boolean): number =>
  name.length + (value ?? '*').length + (regex ? 1 : 0);
const sumOf = (list: readonly IRStringMatch[]): number =>
  list.reduce((n, s) => n + constraintLength(s.name, s.value, s.kind === 'regex'), 0);

function headerWeight(o: OrderedMatch): number {
  let n = sumOf(o.match.headers);
  if (o.host) n += constraintLength(':authority', o.host, false);
  if (o.match.method) n += constraintLength(':method', o.match.method, false);
  return n;
}

const PATH_KIND_RANK = { exact: 0, prefix: 1, regex: 2 } as const;

/** The comparator's numbers for one match, computed once per sort (sorting compares each many times). */
interface SortKey {
  nums: [number, number, number, number, number, number];
  o: OrderedMatch;
}

const sortKey = (o: OrderedMatch): SortKey => ({
  nums: [
    -o.match.precedence,
    -o.match.path.value.length,
    -headerWeight(o),
    -sumOf(o.match.query),
    PATH_KIND_RANK[o.match.path.kind],
    -hostSpecificity(o.host),
  ],
  o,
});

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < 6; i++) if (a.nums[i] !== b.nums[i]) return a.nums[i] - b.nums[i];
  return (
    compareStrings(a.o.host ?? '', b.o.host ?? '') ||
    compareStrings(a.o.match.path.value, b.o.match.path.value) ||
    compareStrings(a.o.id, b.o.id)
  );
}

/** Negative when `a` must be tried before `b`. */
export const compareRouteMatches = (a: OrderedMatch, b: OrderedMatch): number => compareKeys(sortKey(a), sortKey(b));

/** `items` in route order (each item's match once through the comparator's numbers). */
export function sortByRouteOrder<T>(items: readonly T[], orderOf: (item: T) => OrderedMatch): T[] {
  const keyed = items.map((item) => ({ item, key: sortKey(orderOf(item)) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  return keyed.map((k) => k.item);
}
