// The benchmark's 10k-Mapping cluster (bench/generate-snapshot.ts: 200 hosts, TLS, canaries and invalid objects),
// compiled as bench/compile.ts compiles it (default options: host ownership by namespace, so a host named from
// several namespaces is served for the first only) and loaded by real Envoy with its certificates. The 50k one is checked by `npm run bench`
// (bench/envoy-validate.ts), being too slow for every test run.
import { expect } from 'chai';
import { generateSnapshot } from '../../bench/generate-snapshot.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { checkWithEnvoy } from '../../operator/envoy-check/index.js';
import { envoyBinary } from './support/envoy-pool.js';

describe('real Envoy accepts: the 10k benchmark config', function () {
  this.timeout(180_000);

  it('10,000 Mappings with TLS', async () => {
    const { ir, statuses } = compileSnapshot(generateSnapshot(10_000));
    const config = renderEnvoyConfig(ir);
    expect(statuses.filter((s) => s.inConfig).length).to.be.above(1000);
    expect(config.json.length).to.be.above(3_000_000);
    expect(Object.keys(config.certFiles).length).to.be.at.least(8);
    const verdict = await checkWithEnvoy(envoyBinary(), config);
    expect(verdict, 'message' in verdict ? verdict.message : '').to.deep.include({ kind: 'accepted' });
    console.log(`      (${(config.json.length / 1e6).toFixed(1)} MB, envoy --mode validate ${verdict.ms} ms)`);
  });
});
