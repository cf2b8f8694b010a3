// Which host names a certificate is valid for: its subjectAltName DNS entries (clients ignore the subject CN
// since RFC 6125 / Chrome 58, and so do we), matched as clients match them: exact, or a `*` as the whole
// leftmost label standing for exactly one label. A TLSContext host that is itself a `*.` wildcard is covered
// only by the same wildcard in the certificate.
import type { X509Certificate } from 'node:crypto';

/** The DNS names of `subjectAltName` ("DNS:a.test, DNS:*.a.test, IP Address:…"), lowercased. */
export function certificateDnsNames(cert: X509Certificate): string[] {
  const text = cert.subjectAltName;
  return typeof text === 'string' ? parseSubjectAltName(text) : [];
}

/** Node prints each entry as TYPE:value, quoting a value as a JSON string when it holds a comma or quote. */
export function parseSubjectAltName(text: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const type = text.slice(i, colon).trim();
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      let j = colon + 2;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(text.slice(colon + 1, j + 1)) as string;
      } catch {
        value = '';
      }
      next = text.indexOf(',', j);
    } else {
      next = text.indexOf(',', colon);
      value = text.slice(colon + 1, next < 0 ? text.length : next);
    }
    if (type === 'DNS' && value !== '') names.push(value.trim().toLowerCase());
    if (next < 0) break;
    i = next + 1;
  }
  return names;
}

/** Does a certificate with these DNS names serve `host` (a TLSContext host, exact or `*.`) to clients? */
export function certificateCovers(dnsNames: readonly string[], host: string): boolean {
  const h = host.toLowerCase();
  if (dnsNames.includes(h)) return true;
  if (h.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && dnsNames.includes(`*${h.slice(dot)}`);
}
