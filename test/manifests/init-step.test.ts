// The init step in the Envoy Deployment (the real bash script from manifests/, run with the real gzip and
// sha256sum) produces from the published parts the same bytes as unpackConfig, and refuses damaged parts.
import { expect } from 'chai';
import { SUM_KEY, unpackConfig } from '../../operator/publish/config-chunks.js';
import { packedFiles } from '../support/packed-files.js';
import { runInitStep } from './init-step.js';

describe('the Envoy pod init step (bash, gzip, sha256sum from manifests/)', () => {
  it('unpacks many parts byte-for-byte as unpackConfig does, including non-ASCII text', () => {
    const json = JSON.stringify({
      body: 'café ☕ ' + 'x'.repeat(50_000),
      list: Array.from({ length: 3000 }, (_, i) => `/api/v${i % 3}/item-${i}`),
    });
    const files = packedFiles(json, 1000);
    expect([...files.keys()].length).to.be.greaterThan(10);
    const r = runInitStep(files);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.out!.equals(Buffer.from(json, 'utf8'))).to.equal(true);
    expect(r.out!.toString('utf8')).to.equal(unpackConfig(files));
  });

  it('fails (so the pod never starts Envoy) on a missing or altered part', () => {
    const json = JSON.stringify({ data: Array.from({ length: 2000 }, (_, i) => i * 7919) });
    const missing = packedFiles(json, 500);
    missing.delete('envoy.json.gz.001');
    expect(runInitStep(missing).code).to.not.equal(0);
    const altered = packedFiles(json, 500);
    const b = Buffer.from(altered.get('envoy.json.gz.002') as Buffer);
    b[10] ^= 1;
    altered.set('envoy.json.gz.002', b);
    expect(runInitStep(altered).code).to.not.equal(0);
    const badSum = packedFiles(json, 500);
    badSum.set(SUM_KEY, `${'0'.repeat(64)}  envoy.json\n`);
    expect(runInitStep(badSum).code).to.not.equal(0);
  });

  it('copies the plain placeholder', () => {
    const r = runInitStep(new Map([['envoy.json', '{"placeholder":true}']]));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.out!.toString()).to.equal('{"placeholder":true}');
  });
});
