// Which virtual hosts an HTTPS filter chain needs. A chain is chosen by SNI, so it only ever serves hosts its
// server names cover: giving it every virtual host would copy the whole route table once per TLSContext (the
// benchmark saw ~9 copies). A chain keeps the vhosts whose domain can overlap one of its names, plus the `*`
// vhost (host-less Mappings). A request whose Host is outside the chain's names is therefore not routed to
// another TLSContext's hosts over this certificate (no domain fronting); it gets the host-less routes.
import type { IRVirtualHost } from '../compile/ir.js';

const suffixOf = (wildcard: string): string => wildcard.slice(1); // '*.example.com' → '.example.com'

/** Whether some host name could match both an SNI server name and a vhost domain (each exact or `*.`). */
export function namesOverlap(serverName: string, domain: string): boolean {
  if (domain === '*' || serverName === domain) return true;
  const nameWild = serverName.startsWith('*.');
  const domainWild = domain.startsWith('*.');
  if (nameWild && domainWild) return suffixOf(serverName).endsWith(suffixOf(domain)) || suffixOf(domain).endsWith(suffixOf(serverName));
  if (nameWild) return domain.endsWith(suffixOf(serverName)) && domain.length > suffixOf(serverName).length;
  if (domainWild) return serverName.endsWith(suffixOf(domain)) && serverName.length > suffixOf(domain).length;
  return false;
}

/** The vhosts (in their original order) a chain for these server names needs; all of them for no names. */
export function vhostsForServerNames(vhosts: readonly IRVirtualHost[], serverNames: readonly string[]): IRVirtualHost[] {
  if (serverNames.length === 0) return [...vhosts];
  return vhosts.filter((vh) => serverNames.some((n) => namesOverlap(n, vh.domain)));
}
