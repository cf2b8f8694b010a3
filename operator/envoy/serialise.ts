// Canonical serialisation and the content hash. The bootstrap is built in a fixed key order from sorted IR, so
// JSON.stringify is already canonical; the hash covers the JSON and every certificate file (sorted by name),
// so rotating a certificate changes the hash and therefore the published object names.
import { createHash } from 'node:crypto';

export function canonicalJson(bootstrap: object): string {
  return JSON.stringify(bootstrap);
}

export function configHash(json: string, certFiles: Record<string, string>): string {
  const h = createHash('sha256');
  h.update(json);
  for (const name of Object.keys(certFiles).sort()) {
    h.update('\u0000');
    h.update(name);
    h.update('\u0000');
    h.update(certFiles[name]);
  }
  return h.digest('hex').slice(0, 10);
}
