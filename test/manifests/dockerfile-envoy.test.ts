// The operator image ships the pinned Envoy for the check before publishing: copied from the very image the
// Envoy Deployment runs (one release everywhere: manifests, test world, operator image, PINNED_ENVOY_VERSION),
// onto a glibc base it can run on, and named by PORTICO_ENVOY, which `portico run` reads.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { PINNED_ENVOY_VERSION } from '../../operator/envoy-check/index.js';
import { parseCopy, parseDockerfile } from './parse-dockerfile.js';
import { repoRoot } from './render-manifests.js';

const stages = parseDockerfile(readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'));
const final = stages.at(-1)!;

describe('Dockerfile: the Envoy binary in the operator image', () => {
  it("comes from the Envoy Deployment's image, the pinned release the tests run", () => {
    const deployment = yaml.load(
      readFileSync(path.join(repoRoot, 'manifests/base/envoy/deployment.yaml'), 'utf8'),
    ) as any;
    const envoyImage = deployment.spec.template.spec.containers.find((c: any) => c.name === 'envoy').image;
    const copy = final.instructions
      .filter((i) => i.keyword === 'COPY')
      .map((i) => parseCopy(i.args))
      .find((c) => c.dest === '/usr/local/bin/envoy');
    expect(copy, 'COPY --from=<stage> /usr/local/bin/envoy /usr/local/bin/envoy').to.not.equal(undefined);
    expect(copy!.sources).to.deep.equal(['/usr/local/bin/envoy']);
    const stage = stages.find((s) => s.name === copy!.from)!;
    expect(stage.image).to.equal(envoyImage);
    expect(envoyImage).to.equal(`envoyproxy/envoy:v${PINNED_ENVOY_VERSION}`);
    const setup = readFileSync(path.join(repoRoot, 'test/world/setup'), 'utf8');
    expect(/^ENVOY_VERSION=(\S+)$/m.exec(setup)?.[1]).to.equal(PINNED_ENVOY_VERSION);
  });

  it('runs on a glibc base and is named by PORTICO_ENVOY', () => {
    expect(final.image, 'the Envoy binary needs glibc; alpine has musl').to.match(/^node:20(\.\d+)*-slim/);
    const env = final.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args);
    expect(env).to.include('PORTICO_ENVOY=/usr/local/bin/envoy');
  });
});
