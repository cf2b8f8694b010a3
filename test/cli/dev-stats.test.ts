// `portico dev` answers /portico/v1/stats and /metrics from what its gateway served (the dev gateway's own
// counters, under the names Envoy gives them), through the real CLI, the real kubectl and HTTP.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/test-cluster.js';
import { kubectl, startDev, type DevRun } from './dev-harness.js';

describe('portico dev: statistics from the dev gateway', function () {
  this.timeout(120_000);
  let dir: string;
  let dev: DevRun;
  let gateway: string;
  let operator: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-dev-stats-'));
    dev = startDev(dir, ['--examples']);
    gateway = `http://127.0.0.1:${(await dev.waitFor(/gateway \(stands in for Envoy\) on http:\/\/127\.0\.0\.1:(\d+)/))[1]}`;
    operator = `http://127.0.0.1:${(await dev.waitFor(/operator running in-process \(HTTP on http:\/\/127\.0\.0\.1:(\d+)\)/))[1]}`;
    await dev.waitFor(/ready; press Ctrl-C/);
  });

  after(async () => {
    dev.child.kill('SIGTERM');
    await dev.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts each request under its Mapping and Service, and Portico’s 503 for a missing backend as no_backend', async () => {
    const missing =
      'apiVersion: portico.dev/v1alpha1\nkind: Mapping\nmetadata: {name: gone, namespace: default}\nspec: {prefix: /gone/, service: no-such-service}\n';
    expect((await kubectl(dir, ['apply', '-f', '-'], missing)).code).to.equal(0);
    await eventually(
      'the gateway to serve /gone/',
      async () => (await fetch(`${gateway}/gone/x`)).status === 503,
      30_000,
      200,
    );
    const before = (await (await fetch(`${operator}/portico/v1/stats`)).json()) as any;
    const at = (id: string) => before.mappings[id] ?? { requests: 0, upstream_ok: 0, no_backend: 0 };
    for (let i = 0; i < 5; i++) expect((await fetch(`${gateway}/user/health`)).status).to.equal(200);
    for (let i = 0; i < 3; i++) expect((await fetch(`${gateway}/gone/x`)).status).to.equal(503);
    const r = (await (await fetch(`${operator}/portico/v1/stats`)).json()) as any;
    expect(r.mappings['default/usermapping']).to.deep.equal({
      requests: at('default/usermapping').requests + 5,
      upstream_ok: at('default/usermapping').upstream_ok + 5,
      upstream_bad: 0,
      no_backend: 0,
    });
    expect(r.mappings['default/gone']).to.deep.include({
      requests: at('default/gone').requests + 3,
      no_backend: at('default/gone').no_backend + 3,
      upstream_bad: 0,
    });
    expect(r.services['default/usersvc']).to.deep.include({
      requests: before.services['default/usersvc'].requests + 5,
      upstream_bad: 0,
    });
    expect(r.envoys).to.deep.equal([{ pod: 'portico-dev-gateway', version: '', up: true }]);
    const metrics = await (await fetch(`${operator}/metrics`)).text();
    expect(metrics).to.match(
      new RegExp(
        `^portico_mapping_no_backend_total\\{mapping="default/gone"\\} ${r.mappings['default/gone'].no_backend}$`,
        'm',
      ),
    );
  });
});
