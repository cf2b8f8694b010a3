// Host names as Envoy matches them: an exact name, a `*.` suffix wildcard, or the catch-all `*`. Envoy sends a
// request to exactly one virtual host (exact beats the longest wildcard beats `*`), so each vhost must carry
// every route whose host also covers its domain. The one wildcard matcher of the code base: compile/ (host
// ownership, SNI chains) and envoy/ (virtual hosts) both ask it.
import type { IRHostMatch } from './ir.js';

export const CATCH_ALL = '*';

export const isWildcard = (host: string): boolean => host.startsWith('*.');

/** Does a Mapping/TLSContext host pattern `pattern` cover every name that vhost `domain` answers? */
export function hostCovers(pattern: string, domain: string): boolean {
  if (pattern === CATCH_ALL || pattern === domain) return true;
  if (!isWildcard(pattern)) return false;
  const suffix = pattern.slice(1); // ".example.com"
  return domain.length > suffix.length && domain.endsWith(suffix) && domain !== CATCH_ALL;
}

/** Whether some host name could match both patterns (each exact, `*.` or `*`): e.g. an SNI name and a vhost domain. */
export function hostsOverlap(a: string, b: string): boolean {
  return a === b || hostCovers(a, b) || hostCovers(b, a);
}

/** Does a route's host match answer vhost `domain`? */
export function hostMatchServes(m: IRHostMatch, domain: string): boolean {
  if (m.kind === 'exact') return m.host === domain;
  if (m.kind === 'wildcard' && m.pattern !== domain && !hostCovers(m.pattern, domain)) return false;
  return !m.except.includes(domain);
}

/** The patterns that can cover `domain`: itself and each `*.` wildcard of its parent domains (not `*`). */
export function coveringPatterns(domain: string): string[] {
  if (domain === CATCH_ALL) return [];
  const out = [domain];
  const labels = (isWildcard(domain) ? domain.slice(2) : domain).split('.');
  for (let i = 1; i < labels.length; i++) out.push(`*.${labels.slice(i).join('.')}`);
  return out;
}

/**
 * Rank for route order among routes with the same prefix length: exact hosts first, then wildcards (longer,
 * i.e. more specific, first), then routes without a host.
 */
export function hostSpecificity(host: string | undefined): number {
  if (!host) return 0;
  return isWildcard(host) ? host.length : 100000;
}

/** Vhost order: exact domains, then wildcards by specificity, then `*`; ties by name. */
export function compareDomains(a: string, b: string): number {
  return (
    hostSpecificity(b === CATCH_ALL ? undefined : b) - hostSpecificity(a === CATCH_ALL ? undefined : a) ||
    (a < b ? -1 : a > b ? 1 : 0)
  );
}
