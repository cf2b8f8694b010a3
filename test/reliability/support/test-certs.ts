// Real TLS material for the churn: self-signed EC P-256 certificates from the suite's PKI (test/support/pki.ts),
// made once per test run. Test-only keys, never stored.
import { selfSignedCert } from '../../support/pki.js';

export interface TestCert {
  host: string;
  certPem: string;
  keyPem: string;
}

let cached: TestCert[] | undefined;

/** `count` certificates for hosts tls<i>.reliability.test (made on first call, then reused in this process). */
export function runCerts(count = 3): TestCert[] {
  if (cached && cached.length >= count) return cached.slice(0, count);
  cached = Array.from({ length: count }, (_, i) => {
    const host = `tls${i}.reliability.test`;
    const pair = selfSignedCert(host, [host], undefined, 30);
    return { host, certPem: pair.cert, keyPem: pair.key };
  });
  return cached;
}

/** Every form the private key can take in text we inspect: PEM, base64 of the PEM, and the bare key body. */
export function secretForms(cert: TestCert): string[] {
  const body = cert.keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return [cert.keyPem.trim(), Buffer.from(cert.keyPem).toString('base64'), body, body.slice(20, 60)];
}
