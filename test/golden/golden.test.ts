// Golden tests in two layers (Envoy Gateway style, see render-case.ts): input.yaml compiles byte for byte to the
// committed ir.json and status.yaml, and the committed ir.json renders byte for byte to envoy/*.json, which must
// pass the proto validator. Regenerate with `npm run golden` and review the diff. Secret data never reaches a
// status or the IR file.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import {
  ENVOY_FILES,
  GOLDEN_DIR,
  caseFiles,
  committedIr,
  compileCase,
  goldenCases,
  hasInput,
  renderIr,
} from './render-case.js';

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

const committed = (name: string, file: string): string => readFileSync(join(GOLDEN_DIR, name, file), 'utf8');

describe('golden', function () {
  this.timeout(30000);
  const cases = goldenCases();

  it('has every required case', () => {
    expect(cases).to.include.members(REQUIRED_CASES);
  });

  describe('compile: input.yaml → ir.json + status.yaml', () => {
    for (const name of cases.filter(hasInput)) {
      describe(name, () => {
        const out = compileCase(name);
        it('ir.json matches byte for byte', () => expect(out.irJson).to.equal(committed(name, 'ir.json')));
        it('status.yaml matches byte for byte', () => expect(out.statusYaml).to.equal(committed(name, 'status.yaml')));
        it('leaks no Secret data into statuses or the IR', () => {
          const docs = caseFiles(name).flatMap(
            (f) => yaml.loadAll(readFileSync(f, 'utf8')) as Array<{ kind?: string; data?: Record<string, string> }>,
          );
          for (const secret of docs.filter((d) => d?.kind === 'Secret')) {
            for (const value of Object.values(secret.data ?? {})) {
              const decoded = Buffer.from(value, 'base64').toString('utf8');
              const pemBody = decoded.split('\n').find((l) => l.length > 40 && !l.startsWith('-----'));
              for (const text of [out.statusYaml, out.irJson]) {
                expect(text).not.to.include(value.slice(0, 40));
                if (pemBody) expect(text).not.to.include(pemBody);
              }
            }
          }
        });
      });
    }
  });

  describe('render: ir.json → envoy/listeners.json, routes.json, clusters.json', () => {
    for (const name of cases) {
      describe(name, () => {
        const out = renderIr(committedIr(name));
        for (const file of ENVOY_FILES)
          it(`envoy/${file} matches byte for byte`, () =>
            expect(out.files[file]).to.equal(committed(name, join('envoy', file))));
        it('passes the Envoy proto validator', () => expect(validateEnvoyBootstrap(out.bootstrap)).to.deep.equal([]));
      });
    }
  });
});
