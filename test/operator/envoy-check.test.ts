// The operator-side real Envoy check (operator/envoy-check/operator-check.ts), with the pinned Envoy behind a
// wrapper that logs each call and, to make a refusal real, cuts any certificate file whose name holds
// "reject-me" before handing the config to Envoy. A refusal keeps the last good config; the TLSContext it is
// traced to gets Programmed=False/InvalidConfig with Envoy's message, the others say which object blocks them.
// Mapping-only changes do not run Envoy (listeners mode).
import { expect } from 'chai';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCluster } from '../support/test-cluster.js';
import type { RunningOperator } from '../../operator/operator.js';
import { worldBinaries } from '../world/binaries.js';
import {
  REPO,
  clusterWithEnvoy,
  conditionOf,
  envoyDeployment,
  eventually,
  http,
  kubectlOk,
  runOperator,
  waitForCondition,
} from './harness.js';

describe('operator: the real Envoy check before publishing', function () {
  this.timeout(90_000);
  let cluster: TestCluster;
  let op: RunningOperator;
  const dir = mkdtempSync(join(tmpdir(), 'portico-op-envoy-'));
  const calls = join(dir, 'calls.log');
  const wrapper = join(dir, 'envoy');
  writeFileSync(calls, '');
  writeFileSync(
    wrapper,
    `#!/bin/sh\necho "$*" >> '${calls}'\nfor a in "$@"; do case "$prev" in -c) cfg="$a";; esac; prev="$a"; done\n` +
      `if [ -n "$cfg" ]; then for f in "$(dirname "$cfg")"/certs/*reject-me*.crt; do [ -f "$f" ] && head -c 200 "$f" > "$f.cut" && mv "$f.cut" "$f"; done; fi\n` +
      `exec '${worldBinaries().envoy}' "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  const envoyRuns = () =>
    readFileSync(calls, 'utf8')
      .split('\n')
      .filter((l) => l.includes('--mode validate')).length;

  const exampleSecret = () => {
    const docs = readFileSync(join(REPO, 'examples', 'tls.yaml'), 'utf8');
    return docs.slice(docs.indexOf('apiVersion: v1\nkind: Secret'));
  };
  const rejectMe = () =>
    `apiVersion: portico.dev/v1alpha1\nkind: TLSContext\nmetadata: {name: reject-me, namespace: default}\nspec: {secret: reject-me-tls}\n---\n` +
    exampleSecret().replace('name: example-local-tls', 'name: reject-me-tls');

  before(async () => {
    cluster = await clusterWithEnvoy();
    op = await runOperator(cluster, { envoyCheck: { envoyPath: wrapper, mode: 'listeners' } });
    await kubectlOk(cluster, ['apply', '-f', join(REPO, 'examples')]);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
    await waitForCondition(cluster, 'tlscontexts', 'example-tls', 'Programmed', 'True');
  });
  after(async () => {
    await op?.stop();
    await cluster?.stop();
  });

  it('checked the first config with Envoy; a Mapping-only change is published without running Envoy again', async () => {
    expect(envoyRuns()).to.be.at.least(1);
    const before = envoyRuns();
    const good = await envoyDeployment(cluster);
    await kubectlOk(cluster, [
      'patch',
      'mapping',
      'usermapping',
      '--type=merge',
      '-p',
      '{"spec":{"prefix":"/user2/"}}',
    ]);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
    expect((await envoyDeployment(cluster)).hash).to.not.equal(good.hash);
    expect(envoyRuns()).to.equal(before);
  });

  it("a TLSContext Envoy refuses: last good config kept, InvalidConfig in Envoy's words on it, the others name it", async () => {
    const good = await envoyDeployment(cluster);
    await kubectlOk(cluster, ['apply', '-f', '-'], rejectMe());
    const t = await waitForCondition(cluster, 'tlscontexts', 'reject-me', 'Programmed', 'False', 'InvalidConfig');
    expect(conditionOf(t, 'Programmed')!.message).to.match(
      new RegExp(
        `^Envoy refused the generated configuration \\w+: Failed to load certificate chain from /etc/portico/certs/default_reject-me-tls\\.crt; the last good configuration ${good.hash} stays in place$`,
      ),
    );
    const m = await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'False', 'InvalidConfig');
    expect(conditionOf(m, 'Programmed')!.message)
      .to.include('Envoy refused it because of TLSContext default/reject-me')
      .and.include(`last good configuration ${good.hash}`);
    expect(await envoyDeployment(cluster)).to.deep.equal(good);
    await eventually(
      'an InvalidConfig Event on the TLSContext',
      async () => {
        const events = JSON.parse(await kubectlOk(cluster, ['get', 'events', '-n', 'default', '-o', 'json'])).items;
        return events.some(
          (e: any) =>
            e.reason === 'InvalidConfig' &&
            e.involvedObject.name === 'reject-me' &&
            e.message.includes('Failed to load certificate chain'),
        );
      },
      10_000,
      100,
    );
    expect((await http(op.httpPort, '/readyz')).body).to.include('latest generated config is invalid');
    // The refused listeners are not loaded again for a change elsewhere: the verdict is remembered.
    const runs = envoyRuns();
    await kubectlOk(cluster, [
      'patch',
      'mapping',
      'gruemapping',
      '--type=merge',
      '-p',
      '{"spec":{"prefix":"/grue2/"}}',
    ]);
    await waitForCondition(cluster, 'mappings', 'gruemapping', 'Programmed', 'False', 'InvalidConfig');
    expect(envoyRuns()).to.equal(runs);

    await kubectlOk(cluster, ['delete', 'tlscontext', 'reject-me']);
    await waitForCondition(cluster, 'mappings', 'gruemapping', 'Programmed', 'True');
    await waitForCondition(cluster, 'tlscontexts', 'example-tls', 'Programmed', 'True');
    expect((await envoyDeployment(cluster)).hash).to.not.equal(good.hash);
  });
});
