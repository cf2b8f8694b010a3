// statePath persistence: a server started on the same state file has every object (CRDs and their custom
// resources included) and keeps resourceVersions increasing.
import { expect } from 'chai';
import yaml from 'js-yaml';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../../operator/apiserver/index.js';
import { request } from '../support/raw-http.js';
import { eventually } from '../support/test-cluster.js';

const WIDGET_CRD = yaml.load(readFileSync(join(import.meta.dirname, 'fixtures', 'widgets-crd.yaml'), 'utf8'));
const WIDGETS = '/apis/example.portico.dev/v1/namespaces/default/widgets';

describe('apiserver: persistence', function () {
  this.timeout(20_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'portico-state-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('saves (debounced and on close) and restores objects, CRDs and the resourceVersion', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startApiServer({ statePath });
    await request(first.url, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', WIDGET_CRD);
    const w = (
      await request(first.url, 'POST', WIDGETS, {
        apiVersion: 'example.portico.dev/v1',
        kind: 'Widget',
        metadata: { name: 'kept' },
        spec: { prefix: '/k/' },
      })
    ).body;
    const cm = (
      await request(first.url, 'POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name: 'cm' },
        data: { a: '1' },
      })
    ).body;
    // Debounced save without a close: the file catches up on its own.
    await eventually(
      'state file',
      () => existsSync(statePath) && readFileSync(statePath, 'utf8').includes('"cm"'),
      3000,
    );
    const rvBefore = first.resourceVersion;
    await first.close();

    const second = await startApiServer({ statePath });
    try {
      const kept = (await request(second.url, 'GET', `${WIDGETS}/kept`)).body;
      expect(kept.metadata.uid).to.equal(w.metadata.uid);
      expect(kept.metadata.resourceVersion).to.equal(w.metadata.resourceVersion);
      expect((await request(second.url, 'GET', '/api/v1/namespaces/default/configmaps/cm')).body.data).to.deep.equal(
        cm.data,
      );
      expect(second.resourceVersion).to.equal(rvBefore);
      const next = (
        await request(second.url, 'POST', WIDGETS, {
          apiVersion: 'example.portico.dev/v1',
          kind: 'Widget',
          metadata: { name: 'new' },
          spec: { prefix: '/n/' },
        })
      ).body;
      expect(Number(next.metadata.resourceVersion)).to.equal(rvBefore + 1);
      // A watch from before the restart cannot be resumed from history: 410, so clients re-list.
      const old = await request(
        second.url,
        'GET',
        `${WIDGETS}?watch=true&resourceVersion=${Number(w.metadata.resourceVersion) - 1}&timeoutSeconds=1`,
      );
      expect(JSON.parse(old.text.trim().split('\n')[0]).object.code).to.equal(410);
    } finally {
      await second.close();
    }
  });

  it('refuses a state file that is not one, naming it', async () => {
    const bad = join(dir, 'bad.json');
    (await import('node:fs')).writeFileSync(bad, '{"hello":1}');
    let error: Error | undefined;
    try {
      await startApiServer({ statePath: bad });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.equal(`${bad} is not an API server state file (resourceVersion/objects missing)`);
  });
});
