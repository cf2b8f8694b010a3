// A self-signed TEST certificate and key from the real openssl CLI, for one TLS test (EC P-256 by default).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertPair {
  cert: string;
  key: string;
}

export function selfSignedCert(commonName: string, dnsNames: string[], keyAlgorithm: string[] = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']): CertPair {
  const dir = mkdtempSync(join(tmpdir(), 'portico-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', ...keyAlgorithm, '-nodes', '-days', '2', '-subj', `/CN=${commonName}`,
      '-addext', `subjectAltName=${dnsNames.map((d) => `DNS:${d}`).join(',')}`,
      '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { cert: readFileSync(join(dir, 'tls.crt'), 'utf8'), key: readFileSync(join(dir, 'tls.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A kubernetes.io/tls Secret manifest (YAML) holding `pair`. */
export function tlsSecretYaml(name: string, pair: CertPair): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
type: kubernetes.io/tls
data:
  tls.crt: ${b64(pair.cert)}
  tls.key: ${b64(pair.key)}
`;
}
