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

const constraintLength = (name: string, value: string | undefined, regex: boolean): number => name.length + (value ?? '*').length + (regex ? 1 : 0);
const sumOf = (list: readonly IRStringMatch[]): number => list.reduce((n, s) => n + constraintLength(s.name, s.value, s.kind === 'regex'), 0);

function headerWeight(o: OrderedMatch): number {
  let n = sumOf(o.match.headers);
  if (o.host) n += constraintLength(':authority', o.host, false);
  if (o.match.method) n += constraintLength(':method', o.match.method, false);
  return n;
}

const PATH_KIND_RANK = { exact: 0, prefix: 1, regex: 2 } as const;

/** Negative when `a` must be tried before `b`. */
export function compareRouteMatches(a: OrderedMatch, b: OrderedMatch): number {
  return (
    b.match.precedence - a.match.precedence ||
    b.match.path.value.length - a.match.path.value.length ||
    headerWeight(b) - headerWeight(a) ||
    sumOf(b.match.query) - sumOf(a.match.query) ||
    PATH_KIND_RANK[a.match.path.kind] - PATH_KIND_RANK[b.match.path.kind] ||
    hostSpecificity(b.host) - hostSpecificity(a.host) ||
    compareStrings(a.host ?? '', b.host ?? '') ||
    compareStrings(a.match.path.value, b.match.path.value) ||
    compareStrings(a.id, b.id)
  );
}
