// A Mapping's match, everything but the host (which host ownership decides on): path, method, headers, query,
// precedence (routing-fields.ts reads them).
import type { IRMatch } from './ir.js';

export type CandidateMatch = Omit<IRMatch, 'host'>;

/** A key that is equal for two Mappings exactly when they match the same requests (a canary group). */
export function matchKey(host: string | undefined, m: CandidateMatch): string {
  // \u0000 and \u0001 never occur in names, paths or values that reach here (the schema refuses control characters).
  let key = `${host ?? ''}\u0000${m.path.kind}\u0000${m.path.value}\u0000${m.path.caseSensitive ? 1 : 0}\u0000${m.method ?? ''}\u0000${m.precedence}`;
  for (const h of m.headers) key += `\u0000h\u0001${h.name}\u0001${h.kind}\u0001${h.value ?? ''}`;
  for (const q of m.query) key += `\u0000q\u0001${q.name}\u0001${q.kind}\u0001${q.value ?? ''}`;
  return key;
}
