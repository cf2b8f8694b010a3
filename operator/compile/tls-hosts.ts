// Which of a TLSContext's hosts it actually serves. Each host is decided on its own, so one bad host never
// takes the others down (Gateway API's rule for listener conflicts):
//  1. host ownership: a host another namespace owns needs its grant (host-ownership.ts);
//  2. the certificate must cover the host (subjectAltName). With host ownership on, an uncovered host is
//     refused, since serving it would hand clients a certificate for another name (or let a namespace claim a
//     host with any certificate at all); in `open` mode it is served and reported as a warning;
//  3. one certificate per host: the oldest TLSContext serving a host keeps it, a newer one is refused that
//     host (Conflicted, naming the holder). Hosts refused for 1 or 2 are not held, so they never block others.
import { Reasons } from '../api/conditions.js';
import { certificateCovers } from './certificate-hosts.js';
import type { HostOwnership } from './host-ownership.js';
import { CATCH_ALL } from './hosts.js';
import { ageText, type Aged } from './object-age.js';

export interface HostDecision {
  host: string;
  /** `spec.hosts[i]` for messages (the first index where the host is written). */
  field: string;
  reason: string;
  message: string;
}

export interface HostAssignment {
  served: string[];
  /** Hosts not served, in spec order. */
  refused: HostDecision[];
  /** Served, but something is wrong (open mode: not covered by the certificate). */
  warnings: HostDecision[];
}

export interface TlsHolder extends Aged {
  id: string;
}

/** `hosts` deduplicated in spec order; `holders` maps a served host (or `*`) to the TLSContext serving it. */
export function assignTlsHosts(
  ctx: { namespace: string; hosts: readonly string[]; secretId: string; dnsNames: readonly string[] },
  ownership: HostOwnership,
  holders: ReadonlyMap<string, TlsHolder>,
): HostAssignment {
  const out: HostAssignment = { served: [], refused: [], warnings: [] };
  if (ctx.hosts.length === 0) {
    const holder = holders.get(CATCH_ALL);
    if (holder)
      out.refused.push({
        host: CATCH_ALL,
        field: 'spec.hosts',
        reason: Reasons.Conflicted,
        message: `the default certificate (no spec.hosts) is already served by TLSContext ${holder.id}, which came first (${ageText(holder)})`,
      });
    else out.served.push(CATCH_ALL);
    return out;
  }
  const names =
    ctx.dnsNames.length > 0
      ? ctx.dnsNames.slice(0, 8).join(', ') + (ctx.dnsNames.length > 8 ? ', …' : '')
      : 'none; clients ignore the subject CN';
  ctx.hosts.forEach((host, i) => {
    const field = `spec.hosts[${i}]`;
    const refuse = (reason: string, message: string) => out.refused.push({ host, field, reason, message });
    const owned = ownership.refusal('TLSContext', ctx.namespace, host);
    if (owned) return refuse(Reasons.Conflicted, owned);
    const covered = certificateCovers(ctx.dnsNames, host);
    const uncovered = `host ${host} is not covered by the certificate in Secret ${ctx.secretId} (its DNS names: ${names})`;
    if (!covered && ownership.enforced) return refuse(Reasons.HostNotInCertificate, uncovered);
    const holder = holders.get(host);
    if (holder)
      return refuse(
        Reasons.Conflicted,
        `host ${host} is already served by TLSContext ${holder.id}, which came first (${ageText(holder)})`,
      );
    out.served.push(host);
    if (!covered)
      out.warnings.push({
        host,
        field,
        reason: Reasons.HostNotInCertificate,
        message: `${uncovered}: clients will reject the certificate for it`,
      });
  });
  return out;
}

/** One line per decision, `spec.hosts[i]: …`, capped so a 64-host object keeps a readable status. */
export function describeDecisions(decisions: readonly HostDecision[]): string {
  const shown = decisions.slice(0, 16).map((d) => `${d.field}: ${d.message}`);
  if (decisions.length > 16) shown.push(`and ${decisions.length - 16} more`);
  return shown.join('; ');
}
