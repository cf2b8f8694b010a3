// Golden tests (Envoy Gateway style): each test/golden/<case>/input.yaml must render byte-for-byte to the
// committed envoy.json and status.yaml (regenerate with `npm run golden` and review the diff), and every
// golden Envoy config must pass the proto validator. Secret data must never reach a status.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { GOLDEN_DIR, goldenCases, renderCase } from './render-case.js';

const REQUIRED_CASES = [
  'seed',
  'rewrite-variants',
  'missing-service',
  'conflicting-pair',
  'host-routing',
  'tls-sni-redirect',
  'invalid-beside-valid',
  'cross-namespace-grants',
  'invalid-keeps-prefix',
  'tls-host-conflicts',
  'tls-certificate-hosts',
  'tls-certificate-hosts-open',
  'host-ownership',
  'external-names',
];

describe('golden: input.yaml → envoy.json + status.yaml', function () {
  this.timeout(30000);
  const cases = goldenCases();

  it('has every required case', () => {
    expect(cases).to.include.members(REQUIRED_CASES);
  });

  for (const name of cases) {
    describe(name, () => {
      const out = renderCase(name);
      it('envoy.json matches byte for byte', () => {
        expect(out.envoyJson).to.equal(readFileSync(join(GOLDEN_DIR, name, 'envoy.json'), 'utf8'));
      });
      it('status.yaml matches byte for byte', () => {
        expect(out.statusYaml).to.equal(readFileSync(join(GOLDEN_DIR, name, 'status.yaml'), 'utf8'));
      });
      it('passes the Envoy proto validator', () => {
        expect(validateEnvoyBootstrap(out.bootstrap)).to.deep.equal([]);
      });
      it('leaks no Secret data into statuses', () => {
        const input = yaml.loadAll(readFileSync(join(GOLDEN_DIR, name, 'input.yaml'), 'utf8')) as Array<{ kind?: string; data?: Record<string, string> }>;
        for (const secret of input.filter((d) => d?.kind === 'Secret')) {
          for (const value of Object.values(secret.data ?? {})) {
            const decoded = Buffer.from(value, 'base64').toString('utf8');
            const pemBody = decoded.split('\n').find((l) => l.length > 40 && !l.startsWith('-----'));
            expect(out.statusYaml).not.to.include(value.slice(0, 40));
            if (pemBody) expect(out.statusYaml).not.to.include(pemBody);
          }
        }
      });
    });
  }
});
