// The test suite's one PKI, made with the real openssl CLI in temp dirs (the keys are test material and never
// leave the process). testPki(): once per test process, a root and an intermediate CA, leaves for each
// certificate check the compiler makes (good chain, wrong order, weak or unsupported keys, a short-lived
// intermediate, and what real Envoy refuses: an ECDSA leaf without digitalSignature, an RSA-PSS key, explicit
// curve parameters, damaged keys and PEM); times are relative to generation, so tests pass `now` around
// `pki.madeAt`. selfSignedCert(): one self-signed certificate for a TLS test that serves real HTTPS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Secret } from '../../operator/api/types.js';

export interface TestPki {
  /** Just before openssl signed anything: every certificate is valid from about here. */
  madeAt: number;
  pem: Record<string, string>;
}

const DAY = 86_400_000;
let cached: TestPki | undefined;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function testPki(): TestPki {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'portico-test-pki-'));
  const madeAt = Date.now() - 60_000;
  try {
    writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
    writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:secure.test,DNS:*.test\n');
    writeFileSync(
      join(dir, 'nods.ext'),
      'basicConstraints=CA:FALSE\nsubjectAltName=DNS:secure.test\nkeyUsage=critical,keyEncipherment\n',
    );
    const key = (name: string, algo: string[]) => openssl(dir, ['genpkey', ...algo, '-out', `${name}.key`]);
    const ec = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    const selfSigned = (name: string, days: number, ext = 'ca.ext') =>
      openssl(dir, [
        'req',
        '-x509',
        '-new',
        '-key',
        `${name}.key`,
        '-subj',
        `/CN=${name} (Portico TEST ONLY)`,
        '-days',
        String(days),
        '-extensions',
        'v3',
        '-config',
        configFor(dir, ext),
        '-out',
        `${name}.crt`,
      ]);
    const signed = (name: string, issuer: string, days: number, ext: string) => {
      openssl(dir, [
        'req',
        '-new',
        '-key',
        `${name}.key`,
        '-subj',
        `/CN=${name} (Portico TEST ONLY)`,
        '-out',
        `${name}.csr`,
      ]);
      openssl(dir, [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${issuer}.crt`,
        '-CAkey',
        `${issuer}.key`,
        '-CAcreateserial',
        '-days',
        String(days),
        '-extfile',
        ext,
        '-out',
        `${name}.crt`,
      ]);
    };

    key('root', ec);
    selfSigned('root', 3650);
    key('inter', ec);
    signed('inter', 'root', 3650, 'ca.ext');
    key('leaf', ec);
    signed('leaf', 'inter', 365, 'leaf.ext');
    key('short-inter', ec);
    signed('short-inter', 'root', 1, 'ca.ext');
    key('leaf-of-short', ec);
    signed('leaf-of-short', 'short-inter', 365, 'leaf.ext');
    key('rsa1024', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']);
    selfSigned('rsa1024', 365, 'leaf.ext');
    key('rsa2048', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
    selfSigned('rsa2048', 365, 'leaf.ext');
    key('k1', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1']);
    selfSigned('k1', 365, 'leaf.ext');
    key('ed', ['-algorithm', 'ED25519']);
    selfSigned('ed', 365, 'leaf.ext');
    key('ec-nods', ec);
    signed('ec-nods', 'inter', 365, 'nods.ext');
    key('pss', ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048']);
    selfSigned('pss', 365, 'leaf.ext');
    openssl(dir, [
      'ecparam',
      '-name',
      'prime256v1',
      '-genkey',
      '-param_enc',
      'explicit',
      '-noout',
      '-out',
      'explicit.key',
    ]);
    selfSigned('explicit', 365, 'leaf.ext');

    const pem: Record<string, string> = {};
    for (const n of [
      'root',
      'inter',
      'leaf',
      'short-inter',
      'leaf-of-short',
      'rsa1024',
      'rsa2048',
      'k1',
      'ed',
      'ec-nods',
      'pss',
      'explicit',
    ]) {
      pem[`${n}.crt`] = readFileSync(join(dir, `${n}.crt`), 'utf8');
      pem[`${n}.key`] = readFileSync(join(dir, `${n}.key`), 'utf8');
    }
    cached = { madeAt, pem };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function configFor(dir: string, extFile: string): string {
  const path = join(dir, `req-${extFile}.cnf`);
  writeFileSync(path, `[req]\ndistinguished_name=dn\n[dn]\n[v3]\n${readFileSync(join(dir, extFile), 'utf8')}`);
  return path;
}

/** `now` values (ISO) relative to the PKI: valid, after the 1-day intermediate expired, before anything was valid. */
export function pkiTimes(pki: TestPki): {
  valid: string;
  afterShortIntermediate: string;
  beforeAll: string;
  afterLeaves: string;
} {
  return {
    valid: new Date(pki.madeAt + 3_600_000).toISOString(),
    afterShortIntermediate: new Date(pki.madeAt + 3 * DAY).toISOString(),
    beforeAll: new Date(pki.madeAt - DAY).toISOString(),
    afterLeaves: new Date(pki.madeAt + 400 * DAY).toISOString(),
  };
}

/** A PEM key with one DER byte changed (`at`, XOR `mask`), re-encoded: still valid PEM and base64. */
export function damagedKey(pem: string, at: number, value: (byte: number) => number): string {
  const body = pem
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('-----'))
    .join('');
  const der = Buffer.from(body, 'base64');
  der[at] = value(der[at]);
  const label = /-----BEGIN ([A-Z ]+)-----/.exec(pem)![1];
  const lines = der.toString('base64').match(/.{1,64}/g)!;
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Named bad (and good) Secret contents, each with the reason the compiler must give. */
export function secretCases(pki: TestPki): Array<{
  what: string;
  crt: string;
  key: string;
  reason: string | 'ok';
  nowKey?: keyof ReturnType<typeof pkiTimes>;
}> {
  const p = pki.pem;
  return [
    {
      what: 'a good chain (leaf, intermediate)',
      crt: p['leaf.crt'] + p['inter.crt'],
      key: p['leaf.key'],
      reason: 'ok',
    },
    {
      what: 'a good chain up to the root',
      crt: p['leaf.crt'] + p['inter.crt'] + p['root.crt'],
      key: p['leaf.key'],
      reason: 'ok',
    },
    { what: 'an RSA-2048 certificate', crt: p['rsa2048.crt'], key: p['rsa2048.key'], reason: 'ok' },
    {
      what: 'garbage PEM',
      crt: '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n',
      key: p['leaf.key'],
      reason: 'InvalidCertificate',
    },
    { what: 'no PEM at all', crt: 'hello', key: p['leaf.key'], reason: 'InvalidCertificate' },
    {
      what: 'a private key in tls.crt',
      crt: p['leaf.crt'] + p['leaf.key'],
      key: p['leaf.key'],
      reason: 'InvalidCertificate',
    },
    { what: 'a key that matches no certificate', crt: p['leaf.crt'], key: p['rsa2048.key'], reason: 'KeyMismatch' },
    { what: 'two keys in tls.key', crt: p['leaf.crt'], key: p['leaf.key'] + p['inter.key'], reason: 'InvalidKey' },
    {
      what: 'the chain in the wrong order (intermediate first)',
      crt: p['inter.crt'] + p['leaf.crt'],
      key: p['leaf.key'],
      reason: 'InvalidCertificateChain',
    },
    {
      what: 'a chain with a gap (root did not issue the leaf)',
      crt: p['leaf.crt'] + p['root.crt'],
      key: p['leaf.key'],
      reason: 'InvalidCertificateChain',
    },
    { what: 'an RSA-1024 key', crt: p['rsa1024.crt'], key: p['rsa1024.key'], reason: 'WeakKey' },
    { what: 'a secp256k1 key', crt: p['k1.crt'], key: p['k1.key'], reason: 'UnsupportedKey' },
    // Envoy 1.40 serves Ed25519 (test/envoy-real/certificate-verdicts.test.ts), though browsers do not accept it.
    { what: 'an Ed25519 key', crt: p['ed.crt'], key: p['ed.key'], reason: 'ok' },
    // What real Envoy 1.40 refuses (test/envoy-real/certificate-verdicts.test.ts), so the TLSContext is refused
    // on its own instead of failing the whole config.
    {
      what: 'an ECDSA leaf whose keyUsage lacks digitalSignature',
      crt: p['ec-nods.crt'] + p['inter.crt'],
      key: p['ec-nods.key'],
      reason: 'InvalidCertificate',
    },
    { what: 'an RSA-PSS key', crt: p['pss.crt'], key: p['pss.key'], reason: 'UnsupportedKey' },
    {
      what: 'an EC key with explicit curve parameters',
      crt: p['explicit.crt'],
      key: p['explicit.key'],
      reason: 'UnsupportedKey',
    },
    // PKCS#8 P-256: the private scalar starts at DER byte 36; the EC key's version is byte 33.
    {
      what: 'a key whose private part is damaged (its public part still matches)',
      crt: p['leaf.crt'],
      key: damagedKey(p['leaf.key'], 40, (b) => b ^ 1),
      reason: 'InvalidKey',
    },
    {
      what: 'an EC key of version 205',
      crt: p['leaf.crt'],
      key: damagedKey(p['leaf.key'], 33, () => 0xcd),
      reason: 'InvalidKey',
    },
    {
      what: 'a damaged END line in tls.crt',
      crt: p['leaf.crt'].replace('-----END', '-----ENé') + p['inter.crt'],
      key: p['leaf.key'],
      reason: 'InvalidCertificate',
    },
    {
      what: 'a damaged BEGIN label in tls.crt',
      crt: p['leaf.crt'] + p['inter.crt'].replace('BEGIN CERTIFICATE', 'BEGIN CE/TIFICATE'),
      key: p['leaf.key'],
      reason: 'InvalidCertificate',
    },
    {
      what: 'an expired leaf',
      crt: p['leaf.crt'] + p['inter.crt'],
      key: p['leaf.key'],
      reason: 'CertificateExpired',
      nowKey: 'afterLeaves',
    },
    {
      what: 'a not-yet-valid leaf',
      crt: p['leaf.crt'] + p['inter.crt'],
      key: p['leaf.key'],
      reason: 'CertificateNotYetValid',
      nowKey: 'beforeAll',
    },
    {
      what: 'an expired intermediate',
      crt: p['leaf-of-short.crt'] + p['short-inter.crt'],
      key: p['leaf-of-short.key'],
      reason: 'CertificateExpired',
      nowKey: 'afterShortIntermediate',
    },
    {
      what: 'a 5 MB certificate',
      crt: p['leaf.crt'] + 'A'.repeat(5 * 1024 * 1024),
      key: p['leaf.key'],
      reason: 'TooLarge',
    },
  ];
}

/** Pieces of the Secret's data that must never show up in a message: base64 and decoded PEM body lines. */
export function secretPieces(secret: Secret): string[] {
  const out: string[] = [];
  for (const v of Object.values(secret.data ?? {})) {
    out.push(v.slice(0, 24), v.slice(Math.floor(v.length / 2), Math.floor(v.length / 2) + 24));
    const decoded = Buffer.from(v, 'base64').toString('utf8');
    for (const line of decoded.split('\n'))
      if (line.length >= 24 && !line.startsWith('-----') && !/^A+$/.test(line)) out.push(line.slice(0, 24));
  }
  return out.filter((p) => p.length >= 16);
}

export interface CertPair {
  cert: string;
  key: string;
}

/** A self-signed certificate for `dnsNames` (EC P-256 unless `keyAlgorithm` says otherwise), valid for `days`. */
export function selfSignedCert(
  commonName: string,
  dnsNames: string[],
  keyAlgorithm: string[] = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  days = 2,
): CertPair {
  const dir = mkdtempSync(join(tmpdir(), 'portico-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        ...keyAlgorithm,
        '-nodes',
        '-days',
        String(days),
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=${dnsNames.map((d) => `DNS:${d}`).join(',')}`,
        '-keyout',
        join(dir, 'tls.key'),
        '-out',
        join(dir, 'tls.crt'),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { cert: readFileSync(join(dir, 'tls.crt'), 'utf8'), key: readFileSync(join(dir, 'tls.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
