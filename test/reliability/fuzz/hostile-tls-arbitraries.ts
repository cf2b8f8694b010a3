// The hostile TLS Secrets of the fuzz suite (issue 7 §4), shared with test/envoy-real, which loads the configs
// they compile to into real Envoy: each bad kind from the real openssl test PKI plus random mutations of a
// good chain (truncation, flipped characters, shuffled or foreign blocks, wrong types and shapes).
import fc from 'fast-check';
import type { Mapping, Secret, Service, TLSContext } from '../../../operator/api/types.js';
import { b64, tlsContext as baseTlsContext, tlsSecret } from '../../support/objects.js';
import { pkiTimes, secretCases, testPki } from '../../support/pki.js';

export const NS = 'tlsfuzz';
export const tlsContext = (name: string, secret: string, host: string): TLSContext =>
  baseTlsContext(NS, name, { secret, hosts: [host] });

export function hostileTlsCorpus() {
  const pki = testPki();
  const now = pkiTimes(pki).valid;
  const good = pki.pem['leaf.crt'] + pki.pem['inter.crt'];
  const goodKey = pki.pem['leaf.key'];
  // Each named bad kind, built once (the 5 MB one is expensive to encode); cases that need another `now` are
  // covered in test/compile/tls-secret-checks.test.ts, so here only those bad at `valid` time.
  const named = secretCases(pki)
    .filter((c) => c.reason !== 'ok' && !c.nowKey)
    .map((c) => ({ crt: c.crt, key: c.key, encoded: tlsSecret(NS, 'x', c.crt, c.key).data! }));

  const mutatedPem: fc.Arbitrary<{ crt: string; key: string }> = fc.oneof(
    fc.integer({ min: 0, max: good.length - 1 }).map((cut) => ({ crt: good.slice(0, cut), key: goodKey })),
    fc.integer({ min: 0, max: goodKey.length - 1 }).map((cut) => ({ crt: good, key: goodKey.slice(0, cut) })),
    fc
      .tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.constantFrom('A', '/', '-', '\n', 'é', '\u0000', '='))
      .map(([at, ch]) => ({ crt: good.slice(0, at) + ch + good.slice(at + 1), key: goodKey })),
    fc
      .tuple(fc.integer({ min: 0, max: goodKey.length - 1 }), fc.constantFrom('A', 'z', '\n'))
      .map(([at, ch]) => ({ crt: good, key: goodKey.slice(0, at) + ch + goodKey.slice(at + 1) })),
    fc
      .shuffledSubarray([pki.pem['leaf.crt'], pki.pem['inter.crt'], pki.pem['root.crt'], pki.pem['rsa1024.crt']], {
        minLength: 1,
      })
      .map((blocks) => ({ crt: blocks.join(''), key: goodKey })),
    fc
      .constantFrom('RSA PRIVATE KEY', 'PUBLIC KEY', 'X509 CRL', 'CERTIFICATE REQUEST', 'TRUSTED CERTIFICATE')
      .map((label) => ({ crt: `${good}-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`, key: goodKey })),
    fc.string({ maxLength: 200 }).map((junk) => ({ crt: junk, key: junk })),
    fc
      .string({ unit: 'binary', maxLength: 100 })
      .map((junk) => ({ crt: `-----BEGIN CERTIFICATE-----\n${junk}\n-----END CERTIFICATE-----\n`, key: goodKey })),
    fc
      .constantFrom(...Object.keys(pki.pem).filter((k) => k.endsWith('.key')))
      .map((k) => ({ crt: good, key: pki.pem[k] })),
  );

  const badSecret: fc.Arbitrary<{ secret: Secret }> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(...named).map((n) => ({
        secret: { metadata: { name: 'x', namespace: NS }, type: 'kubernetes.io/tls', data: n.encoded },
      })),
    },
    { weight: 5, arbitrary: mutatedPem.map(({ crt, key }) => ({ secret: tlsSecret(NS, 'x', crt, key) })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<Secret>(
          {
            metadata: { name: 'x', namespace: NS },
            type: 'Opaque',
            data: { 'tls.crt': b64(good), 'tls.key': b64(goodKey) },
          },
          { metadata: { name: 'x', namespace: NS }, type: 'kubernetes.io/tls' },
          { metadata: { name: 'x', namespace: NS }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(good) } },
          {
            metadata: { name: 'x', namespace: NS },
            type: 'kubernetes.io/tls',
            data: null as unknown as Record<string, string>,
          },
          {
            metadata: { name: 'x', namespace: NS },
            type: 'kubernetes.io/tls',
            data: { 'tls.crt': 42, 'tls.key': ['x'] } as unknown as Record<string, string>,
          },
          {
            metadata: { name: 'x', namespace: NS },
            type: 'kubernetes.io/tls',
            data: { 'tls.crt': '!!!not base64!!!', 'tls.key': '%%%' },
          },
        )
        .map((secret) => ({ secret })),
    },
  );

  const services: Service[] = [{ metadata: { name: 'web', namespace: NS }, spec: { ports: [{ port: 80 }] } }];
  const webMapping: Mapping = {
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'Mapping',
    metadata: { name: 'web', namespace: NS },
    spec: { prefix: '/', service: 'web' },
  };
  const goodSecret = tlsSecret(NS, 'good', good, goodKey);

  /** The fuzz case's snapshot: the good TLSContext and Mapping beside one TLSContext per bad Secret. */
  const snapshotOf = (bads: ReadonlyArray<{ secret: Secret }>) => {
    const secrets = bads.map((b, i) => ({ ...b.secret, metadata: { name: `bad-${i}`, namespace: NS } }));
    const contexts = [
      tlsContext('good', 'good', 'good.test'),
      ...secrets.map((s, i) => tlsContext(`bad-${i}`, s.metadata.name, `bad${i}.test`)),
    ];
    return {
      secrets,
      snapshot: { mappings: [webMapping], tlsContexts: contexts, services, secrets: [goodSecret, ...secrets], now },
    };
  };
  return { pki, now, good, goodKey, badSecret, services, webMapping, goodSecret, snapshotOf };
}
