// A Mapping's match (everything but the host, which host ownership decides on): the path, and later the method,
// headers and query parameters it requires. Pure; the schema has already checked the types.
import type { IRMatch } from './ir.js';

export type CandidateMatch = Omit<IRMatch, 'host'>;

export function prefixMatch(prefix: string): CandidateMatch {
  return { path: { kind: 'prefix', value: prefix, caseSensitive: true }, headers: [], query: [], precedence: 0 };
}

/** A key that is equal for two Mappings exactly when they match the same requests (a canary group). */
export function matchKey(host: string | undefined, m: CandidateMatch): string {
  return JSON.stringify([host ?? '', m.path.kind, m.path.value, m.path.caseSensitive, m.method ?? '', m.headers, m.query, m.precedence]);
}
