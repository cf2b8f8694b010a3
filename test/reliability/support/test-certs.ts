// Real TLS material for the churn: self-signed EC P-256 certificates made with openssl once per test run (in a
// temp dir, removed at once). Test-only keys, never stored.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  host: string;
  certPem: string;
  keyPem: string;
}

let cached: TestCert[] | undefined;

/** `count` certificates for hosts tls<i>.reliability.test (made on first call, then reused in this process). */
export function runCerts(count = 3): TestCert[] {
  if (cached && cached.length >= count) return cached.slice(0, count);
  const dir = mkdtempSync(join(tmpdir(), 'portico-reliability-certs-'));
  try {
    cached = Array.from({ length: count }, (_, i) => {
      const host = `tls${i}.reliability.test`;
      const key = join(dir, `${i}.key`);
      const crt = join(dir, `${i}.crt`);
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-keyout', key, '-out', crt],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      return { host, certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
    });
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every form the private key can take in text we inspect: PEM, base64 of the PEM, and the bare key body. */
export function secretForms(cert: TestCert): string[] {
  const body = cert.keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return [cert.keyPem.trim(), Buffer.from(cert.keyPem).toString('base64'), body, body.slice(20, 60)];
}
