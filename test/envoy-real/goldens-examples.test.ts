// Every golden config and the examples, loaded by the real, pinned Envoy (`envoy --mode validate`) with the
// certificate files they reference: the proto validator accepting them is not enough (envoy-runtime.md §1).
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readManifests } from '../../operator/cli/manifest-files.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { REPO_ROOT } from '../world/kubelet/images.js';
import { goldenCases, hasInput, renderCase } from '../golden/render-case.js';
import { configHash } from '../../operator/envoy/serialise.js';
import { checkAll, refusals, type Labelled } from './support/envoy-pool.js';

describe('real Envoy accepts: goldens and examples', function () {
  this.timeout(120_000);

  it('every compiled golden case, with its certificate files', async () => {
    const items: Labelled[] = goldenCases()
      .filter(hasInput)
      .map((name) => {
        const out = renderCase(name);
        // The golden's pretty JSON is the same config; Envoy reads either.
        return {
          label: `golden ${name}`,
          config: { json: out.envoyJson, certFiles: out.certFiles, hash: configHash(out.envoyJson, out.certFiles) },
        };
      });
    expect(items.length).to.be.at.least(14);
    expect(
      items.some((i) => Object.keys(i.config.certFiles).length > 0),
      'some goldens serve TLS',
    ).to.equal(true);
    const checked = await checkAll(items);
    expect(refusals(checked)).to.deep.equal([]);
  });

  it('examples/, each file alone and all together', async () => {
    const dir = join(REPO_ROOT, 'examples');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(dir, f));
    const now = new Date().toISOString();
    const items: Labelled[] = [...files.map((f) => [f]), files].map((set) => {
      const config = renderEnvoyConfig(compileSnapshot({ ...readManifests(set), now }).ir);
      return { label: set.length === 1 ? set[0] : 'examples/', config };
    });
    const checked = await checkAll(items);
    expect(refusals(checked)).to.deep.equal([]);
    expect(checked.length).to.be.at.least(3);
  });
});
