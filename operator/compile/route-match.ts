// A Mapping's match, everything but the host (which host ownership decides on): path, method, headers, query,
// precedence (routing-fields.ts reads them).
import type { IRMatch } from './ir.js';

export type CandidateMatch = Omit<IRMatch, 'host'>;

/** A key that is equal for two Mappings exactly when they match the same requests (a canary group). */
export function matchKey(host: string | undefined, m: CandidateMatch): string {
  return JSON.stringify([host ?? '', m.path.kind, m.path.value, m.path.caseSensitive, m.method ?? '', m.headers, m.query, m.precedence]);
}
