// Our certificate verdict (checkTlsSecret) against real Envoy's: certificates of many shapes made with openssl
// (support/cert-shapes.ts), each served by a config our renderer builds and loaded by `envoy --mode validate`.
// No certificate may be accepted by us and refused by Envoy (it would fail the whole config), or refused by us
// and loaded by Envoy, except by a policy stated here (policyRefusal): RSA keys under 2048 bits anywhere in the
// chain are refused although Envoy only checks the leaf's, and so is a chain whose signatures cannot be
// verified (Envoy does not verify the chain at load; clients do).
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Secret } from '../../operator/api/types.js';
import type { GatewayIR } from '../../operator/compile/ir.js';
import { checkTlsSecret } from '../../operator/compile/tls-secret.js';
import { alpnProblem } from '../../operator/compile/alpn.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import {
  CertFactory,
  KEY_KINDS,
  certShapeArb,
  describeShape,
  type CertShape,
  type MadeCert,
} from './support/cert-shapes.js';
import { verdictsOf } from './support/envoy-pool.js';
import { tlsSecret } from '../support/objects.js';
import { pkiTimes, secretCases, testPki } from '../support/pki.js';
import { pemVariants } from './support/pem-variants.js';
import { gatewayIR } from '../support/ir-builders.js';

const RANDOM_SHAPES = Number(process.env.CERT_SHAPES ?? 50);
const SEED = Number(process.env.CERT_SHAPES_SEED ?? 20261201);

const base: CertShape = {
  leaf: 'p256',
  leafIsCa: false,
  chain: { kind: 'self-signed' },
  signature: 'default',
  keyFormat: 'pkcs8',
  crlf: false,
};
const by = (intermediate: CertShape['leaf'], root: CertShape['leaf'] = 'p256') => ({
  kind: 'intermediate' as const,
  intermediate,
  root,
  includeRoot: false,
});
/** Shapes that must be in every run, whatever the random draw: every leaf key kind, and the known traps. */
const NAMED: CertShape[] = [
  ...KEY_KINDS.map((leaf) => ({ ...base, leaf })),
  { ...base, keyUsage: { bits: ['keyEncipherment'], critical: true } },
  { ...base, leaf: 'p384', keyUsage: { bits: ['keyAgreement'], critical: false } },
  { ...base, leaf: 'p521', keyUsage: { bits: ['digitalSignature'], critical: true } },
  { ...base, leaf: 'ed25519', keyUsage: { bits: ['nonRepudiation'], critical: true } },
  { ...base, leaf: 'rsa2048', keyUsage: { bits: ['keyEncipherment'], critical: true } },
  { ...base, leaf: 'pss2048', keyUsage: { bits: ['digitalSignature'], critical: true } },
  { ...base, chain: by('pss2048', 'rsa2048'), signature: 'pss' },
  { ...base, leaf: 'rsa2048', chain: by('rsa2048'), signature: 'pss' },
  { ...base, chain: by('rsa1024') },
  { ...base, chain: by('ed25519', 'ed25519') },
  { ...base, chain: by('p224', 'secp256k1') },
  {
    ...base,
    leaf: 'rsa3072',
    keyFormat: 'traditional',
    crlf: true,
    chain: { ...by('p384', 'rsa2048'), includeRoot: true },
  },
  { ...base, leafIsCa: true, extendedKeyUsage: ['clientAuth'] },
];

/** Our deliberate differences from Envoy, as the reason we give; undefined where we must agree with Envoy. */
function policyRefusal(s: CertShape): string | undefined {
  if (s.chain.kind !== 'intermediate') return undefined;
  if (s.chain.intermediate === 'rsa1024' || (s.chain.includeRoot && s.chain.root === 'rsa1024')) return 'WeakKey';
  // OpenSSL (and so Node, and every OpenSSL client) cannot verify DSA with SHA-384/512: the chain is broken.
  if (s.chain.intermediate === 'dsa2048' && (s.signature === 'sha384' || s.signature === 'sha512'))
    return 'InvalidCertificateChain';
  return undefined;
}

/** The config our renderer builds for a TLSContext serving this certificate as the default one. */
function configServing(cert: MadeCert, alpnProtocols = ['h2', 'http/1.1']) {
  const ir: GatewayIR = gatewayIR(
    [],
    [],
    [
      {
        name: 'certs/shape',
        serverNames: [],
        tls: { certFile: 'certs_shape.crt', keyFile: 'certs_shape.key', minTlsVersion: 'v1.2', alpnProtocols },
      },
    ],
    { 'certs_shape.crt': cert.crt, 'certs_shape.key': cert.key },
  );
  return renderEnvoyConfig(ir);
}

const secretOf = (cert: MadeCert): Secret => ({
  metadata: { name: 'shape', namespace: 'certs' },
  type: 'kubernetes.io/tls',
  data: { 'tls.crt': Buffer.from(cert.crt).toString('base64'), 'tls.key': Buffer.from(cert.key).toString('base64') },
});

describe('certificate verdicts: ours and real Envoy agree', function () {
  this.timeout(600_000);
  const factory = new CertFactory();
  after(() => factory.remove());

  it(`${NAMED.length} named and ${RANDOM_SHAPES} random certificate shapes (seed ${SEED})`, async () => {
    const shapes = [...NAMED, ...fc.sample(certShapeArb, { numRuns: RANDOM_SHAPES, seed: SEED })];
    const made = shapes.map((shape) => ({ shape, cert: factory.make(shape) }));
    const verdicts = await verdictsOf(made.map((m, i) => ({ label: String(i), config: configServing(m.cert) })));
    const now = new Date(Date.now() + 60_000).toISOString();

    const disagreements: string[] = [];
    let envoyRefused = 0;
    made.forEach(({ shape, cert }, i) => {
      const envoy = verdicts[i];
      if (!envoy || envoy.kind === 'failed')
        throw new Error(
          `${describeShape(shape)}: the Envoy check did not run: ${envoy && 'message' in envoy ? envoy.message : 'no verdict'}`,
        );
      const ours = checkTlsSecret(secretOf(cert), 'certs/shape', now);
      if (envoy.kind === 'rejected') envoyRefused++;
      const policy = policyRefusal(shape);
      const expected = envoy.kind === 'accepted' && !policy;
      if (ours.ok !== expected || (policy && envoy.kind === 'accepted' && !ours.ok && ours.reason !== policy))
        disagreements.push(
          `${describeShape(shape)}: Envoy ${envoy.kind}${envoy.kind === 'rejected' ? ` (${envoy.message})` : ''}, ours ${ours.ok ? 'accepted' : `${ours.reason}: ${ours.message}`}${policy ? ` [policy: ${policy}]` : ''}`,
        );
    });
    expect(disagreements).to.deep.equal([]);
    // Both verdicts occur often, so the comparison means something.
    expect(envoyRefused).to.be.within(10, made.length - 10);
  });
});

describe('certificate verdicts: the named Secret cases of test/support/pki.ts against real Envoy', function () {
  this.timeout(120_000);

  /** Where we refuse what Envoy loads, on purpose: each entry says why. A case Envoy refuses too must not be here. */
  const STRICTER: Record<string, string> = {
    'a private key in tls.crt':
      'Envoy skips the key block; a key in the certificate file is a leak waiting to be published',
    'two keys in tls.key': 'Envoy takes the first; which one is meant is ambiguous',
    'a chain with a gap (root did not issue the leaf)': 'Envoy serves it; clients then fail to build the chain',
    'a 5 MB certificate': 'Envoy loads it; it would not fit the published certs Secret',
  };

  it('agree, except where we are stricter on purpose', async () => {
    const pki = testPki();
    const now = pkiTimes(pki).valid;
    const fixture = (f: string) => readFileSync(join(import.meta.dirname, 'fixtures', f), 'utf8');
    // Over BoringSSL's 16384-bit limit; a fixture, since making such a key takes minutes.
    const huge = { what: 'a 16400-bit RSA key', crt: fixture('rsa16400.crt'), key: fixture('rsa16400.key') };
    const cases = [...secretCases(pki).filter((c) => !c.nowKey), huge];
    const verdicts = await verdictsOf(
      cases.map((c) => ({ label: c.what, config: configServing({ crt: c.crt, key: c.key }) })),
    );
    const wrong: string[] = [];
    for (const [i, c] of cases.entries()) {
      const verdict = verdicts[i];
      expect(verdict.kind, c.what).to.not.equal('failed');
      const ours = checkTlsSecret(tlsSecret('certs', 'shape', c.crt, c.key), 'certs/shape', now);
      const stricter = STRICTER[c.what];
      const fine = stricter ? !ours.ok && verdict.kind === 'accepted' : ours.ok === (verdict.kind === 'accepted');
      if (!fine)
        wrong.push(
          `${c.what}: Envoy ${verdict.kind}${'message' in verdict ? ` (${verdict.message})` : ''}, ours ${ours.ok ? 'accepted' : ours.reason}${stricter ? ` [listed as stricter: ${stricter}]` : ''}`,
        );
    }
    expect(wrong).to.deep.equal([]);
    const tooLarge = checkTlsSecret(tlsSecret('certs', 'shape', huge.crt, huge.key), 'certs/shape', now);
    expect(tooLarge).to.deep.include({ ok: false, reason: 'UnsupportedKey' });
  });
});

describe('certificate verdicts: PEM layouts against real Envoy', function () {
  this.timeout(120_000);

  it('our layout check reads PEM as Envoy does', async () => {
    const pki = testPki();
    const now = pkiTimes(pki).valid;
    const variants = pemVariants(pki);
    const verdicts = await verdictsOf(variants.map((v) => ({ label: v.what, config: configServing(v) })));
    const wrong: string[] = [];
    for (const [i, v] of variants.entries()) {
      const verdict = verdicts[i];
      const ours = checkTlsSecret(tlsSecret('certs', 'shape', v.crt, v.key), 'certs/shape', now);
      if (verdict.kind === 'failed' || ours.ok !== (verdict.kind === 'accepted'))
        wrong.push(
          `${v.what}: Envoy ${verdict.kind}${'message' in verdict ? ` (${verdict.message})` : ''}, ours ${ours.ok ? 'accepted' : ours.message}`,
        );
    }
    expect(wrong).to.deep.equal([]);
    expect(verdicts.filter((v) => v.kind === 'rejected').length).to.be.at.least(8);
  });
});

describe('TLSContext alpnProtocols against real Envoy', function () {
  this.timeout(60_000);

  it('we refuse what Envoy refuses, and names Envoy would split on commas', async () => {
    const pki = testPki();
    const cert = { crt: pki.pem['leaf.crt'], key: pki.pem['leaf.key'] };
    const lists: string[][] = [
      ['h2', 'http/1.1'],
      ['x'.repeat(255)],
      ['é'.repeat(127)],
      ['é'.repeat(128)],
      ['h2,http/1.1'],
      [' '],
      ['h2', 'h2'],
    ];
    const verdicts = await verdictsOf(lists.map((l) => ({ label: JSON.stringify(l), config: configServing(cert, l) })));
    const ours = lists.map((l) => alpnProblem(l));
    const wrong = lists.filter((l, i) => {
      const envoyOk = verdicts[i].kind === 'accepted';
      // Stricter on purpose: Envoy takes "h2,http/1.1" as two names; we ask for them listed separately.
      if (l.some((p) => p.includes(','))) return !(envoyOk && ours[i]);
      return envoyOk !== (ours[i] === undefined);
    });
    expect(wrong.map((l) => JSON.stringify(l).slice(0, 40))).to.deep.equal([]);
    expect(verdicts[3]).to.deep.include({ kind: 'rejected', message: 'Invalid ALPN protocol string' });
  });
});
