// Self-signed TEST certificates for the benchmark's TLSContexts, made once with openssl and cached in
// bench/fixtures/test-certs.json so every run (and every machine) compiles the same bytes. The keys are public
// test material: never use them for anything real.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  /** The wildcard domain the certificate covers, e.g. `tls3.bench.example`. */
  domain: string;
  certPem: string;
  keyPem: string;
}

export const CERT_COUNT = 8;
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'test-certs.json');

function makeCert(domain: string, dir: string): TestCert {
  const key = join(dir, `${domain}.key`);
  const crt = join(dir, `${domain}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      `/CN=${domain}/O=Portico benchmark (TEST ONLY)`,
      '-addext',
      `subjectAltName=DNS:${domain},DNS:*.${domain}`,
      '-keyout',
      key,
      '-out',
      crt,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return { domain, certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

/** The cached certificates, generating the fixture on first use. */
export function testCerts(): TestCert[] {
  if (existsSync(FIXTURE)) {
    const cached = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { certs: TestCert[] };
    if (cached.certs?.length === CERT_COUNT) return cached.certs;
  }
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-certs-'));
  try {
    const certs = Array.from({ length: CERT_COUNT }, (_, i) => makeCert(`tls${i}.bench.example`, dir));
    mkdirSync(join(FIXTURE, '..'), { recursive: true });
    const note =
      'Self-signed TEST certificates and keys for the Portico benchmarks only (EC P-256, 10 years). The keys are public.';
    writeFileSync(FIXTURE, JSON.stringify({ note, generatedAt: new Date().toISOString(), certs }, null, 2) + '\n');
    return certs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** When the fixture was made: benchmarks compile "now" one day later, so the certificates are valid. */
export function certsGeneratedAt(): string {
  testCerts();
  return (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { generatedAt: string }).generatedAt;
}
