// Generated configs into real Envoy: samples of the compile property tests' random snapshots (every option
// combination), and the fuzz suites' whole corpus (the same arbitraries, seed and run counts as
// test/reliability/fuzz, so these are the configs those suites only proto-validate). Identical configs (most
// hostile objects are refused, leaving the same config) are loaded once.
import { expect } from 'chai';
import fc from 'fast-check';
import { compileSnapshot } from '../../operator/compile/index.js';
import type { Snapshot } from '../../operator/compile/types.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { optionsArb, snapshotArb } from '../compile/snapshot-arbitraries.js';
import { SEED, runs } from '../reliability/fuzz/fuzz-harness.js';
import {
  NOW,
  VALID,
  hostileArb,
  hostileMapping,
  manyHostileArb,
  services,
} from '../reliability/fuzz/hostile-mapping-arbitraries.js';
import { hostileTlsCorpus } from '../reliability/fuzz/hostile-tls-arbitraries.js';
import { checkAll, refusals, type Labelled } from './support/envoy-pool.js';

const PROPERTY_SAMPLES = Number(process.env.ENVOY_PROPERTY_SAMPLES ?? 300);

function labelled(label: string, snapshot: Snapshot, options?: Parameters<typeof compileSnapshot>[1]): Labelled {
  return { label, config: renderEnvoyConfig(compileSnapshot(snapshot, options).ir) };
}

describe('real Envoy accepts: generated configs', function () {
  this.timeout(300_000);

  it(`${PROPERTY_SAMPLES} samples of the compile property tests' snapshots`, async () => {
    const samples = fc.sample(fc.tuple(snapshotArb, optionsArb), { numRuns: PROPERTY_SAMPLES, seed: SEED });
    const items = samples.map(([snap, options], i) =>
      labelled(
        `property sample ${i} (seed ${SEED}): ${JSON.stringify({ ...snap, secrets: snap.secrets.map((s) => s.metadata.name) }).slice(0, 400)}`,
        snap,
        options,
      ),
    );
    const checked = await checkAll(items);
    expect(refusals(checked)).to.deep.equal([]);
    // Mostly route tables (TLS is held to Envoy by certificate-verdicts.test.ts): many distinct ones.
    expect(checked.length).to.be.at.least(PROPERTY_SAMPLES / 2);
  });

  it('the hostile-Mapping fuzz corpus', async () => {
    const one = fc.sample(hostileArb, { numRuns: runs(2500), seed: SEED });
    const many = fc.sample(manyHostileArb, { numRuns: runs(300), seed: SEED });
    const items = [
      ...one.map((h, i) =>
        labelled(`one-hostile ${i}: ${h.field}=${JSON.stringify(h.value).slice(0, 200)}`, {
          mappings: [...VALID, hostileMapping(h, 0)],
          tlsContexts: [],
          services,
          secrets: [],
          now: NOW,
        }),
      ),
      ...many.map(({ hs, ms }, i) =>
        labelled(`many-hostile ${i}: ${JSON.stringify(hs).slice(0, 300)}`, {
          mappings: ms,
          tlsContexts: [],
          services,
          secrets: [],
          now: NOW,
        }),
      ),
    ];
    const checked = await checkAll(items);
    expect(refusals(checked)).to.deep.equal([]);
    expect(checked.length).to.be.at.least(50);
  });

  it('the hostile-TLS-Secret fuzz corpus', async () => {
    const corpus = hostileTlsCorpus();
    const cases = fc.sample(fc.array(corpus.badSecret, { minLength: 1, maxLength: 3 }), {
      numRuns: runs(1200),
      seed: SEED,
    });
    const items = cases.map((bads, i) => labelled(`hostile-tls ${i}`, corpus.snapshotOf(bads).snapshot));
    const checked = await checkAll(items);
    expect(refusals(checked)).to.deep.equal([]);
    expect(checked.length).to.be.at.least(2);
  });
});
