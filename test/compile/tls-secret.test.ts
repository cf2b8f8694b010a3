// Certificate checks on kubernetes.io/tls Secrets, with the test-only certificates of the TLS golden case.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { Secret } from '../../operator/api/types.js';
import { checkTlsSecret } from '../../operator/compile/tls-secret.js';

const docs = yaml.loadAll(
  readFileSync(new URL('../golden/tls-sni-redirect/input.yaml', import.meta.url), 'utf8'),
) as Secret[];
const secret = (name: string): Secret => {
  const s = docs.find(
    (d) => (d as { kind?: string }).kind === 'Secret' && d.metadata.name === name && !d.metadata.namespace,
  );
  if (!s) throw new Error(`fixture ${name} missing`);
  return s;
};
const NOW = '2030-01-01T00:00:00Z';

describe('checkTlsSecret', () => {
  it('accepts a matching, unexpired pair and reports notAfter', () => {
    const r = checkTlsSecret(secret('shop-tls'), 'default/shop-tls', NOW);
    expect(r.ok).to.equal(true);
    if (r.ok) {
      expect(r.certPem).to.include('BEGIN CERTIFICATE');
      expect(r.notAfter).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  const cases: Array<[string, Secret | undefined, string, string]> = [
    ['missing', undefined, 'SecretNotFound', 'not found'],
    ['wrong type', secret('opaque-secret'), 'InvalidSecretType', '"Opaque"'],
    ['not a certificate', secret('nocert-secret'), 'InvalidCertificate', 'no PEM certificate'],
    ['key of another certificate', secret('mismatch-secret'), 'KeyMismatch', 'does not match'],
    ['expired', secret('expired-secret'), 'CertificateExpired', 'expired at'],
    [
      'no key',
      { ...secret('api-tls'), data: { 'tls.crt': secret('api-tls').data!['tls.crt'] } },
      'InvalidKey',
      'no PEM private key',
    ],
    [
      'garbage key',
      {
        ...secret('api-tls'),
        data: {
          ...secret('api-tls').data,
          'tls.key': Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n').toString('base64'),
        },
      },
      'InvalidKey',
      'not a valid private key',
    ],
    [
      'garbage certificate',
      {
        ...secret('api-tls'),
        data: {
          ...secret('api-tls').data,
          'tls.crt': Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64'),
        },
      },
      'InvalidCertificate',
      'not a valid X.509',
    ],
  ];
  for (const [what, s, reason, text] of cases) {
    it(`rejects: ${what} (${reason})`, () => {
      const r = checkTlsSecret(s, 'default/x', NOW);
      expect(r.ok).to.equal(false);
      if (!r.ok) {
        expect(r.reason).to.equal(reason);
        expect(r.message)
          .to.include(text)
          .and.to.match(/^spec\.secret: /);
        for (const v of Object.values(s?.data ?? {})) {
          const piece = Buffer.from(v, 'base64').toString('utf8').slice(30, 60);
          if (piece.length === 30) expect(r.message).not.to.include(piece);
          expect(r.message).not.to.include(v.slice(0, 20));
        }
      }
    });
  }

  it('rejects a certificate before its notBefore', () => {
    const r = checkTlsSecret(secret('shop-tls'), 'default/shop-tls', '2001-01-01T00:00:00Z');
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.reason).to.equal('CertificateNotYetValid');
  });
});
