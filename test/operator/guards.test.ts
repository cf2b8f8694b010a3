// Guard rails: a config that fails Envoy validation is never published (the last good one stays, and
// statuses and an Event say so); unrelated Secrets are never cached.
import { expect } from 'chai';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { TestCluster } from '../support/test-cluster.js';
import type { RunningOperator } from '../../operator/operator.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import {
  REPO,
  clusterWithEnvoy,
  runOperator,
  kubectlOk,
  http,
  envoyDeployment,
  waitForCondition,
  metrics,
  metricValue,
  conditionOf,
} from './harness.js';

describe('operator: guard rails', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let op: RunningOperator;

  before(async () => {
    cluster = await clusterWithEnvoy();
    // The real validator, plus one extra rule so the test can produce a config Envoy would reject.
    const validateConfig = (bootstrap: unknown) => {
      const issues = validateEnvoyBootstrap(bootstrap);
      if (JSON.stringify(bootstrap).includes('/reject-me/'))
        issues.push({ path: 'static_resources', message: 'rejected by the test rule' });
      return issues;
    };
    op = await runOperator(cluster, { validateConfig });
    await kubectlOk(cluster, ['apply', '-f', join(REPO, 'examples')]);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
  });
  after(async () => {
    await op?.stop();
    await cluster?.stop();
  });

  it('keeps the last good config when the new one fails validation, and says so in conditions, an Event and /readyz', async () => {
    const good = await envoyDeployment(cluster);
    await kubectlOk(cluster, [
      'patch',
      'mapping',
      'usermapping',
      '--type=merge',
      '-p',
      '{"spec":{"prefix":"/reject-me/"}}',
    ]);
    const m = await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'False', 'Invalid');
    expect(conditionOf(m, 'Programmed')!.message).to.include(`last good configuration ${good.hash}`);
    await waitForCondition(cluster, 'mappings', 'gruemapping', 'Programmed', 'False', 'Invalid');
    expect(await envoyDeployment(cluster)).to.deep.equal(good);
    const events = JSON.parse(await kubectlOk(cluster, ['get', 'events', '-n', 'portico-system', '-o', 'json'])).items;
    expect(events.some((e: any) => e.reason === 'InvalidConfig' && e.type === 'Warning')).to.equal(true);
    expect((await http(op.httpPort, '/readyz')).body).to.include('latest generated config is invalid');
    expect(JSON.parse((await http(op.httpPort, '/portico/v1/config')).body).hash).to.equal(good.hash);
    expect(
      metricValue(await metrics(op), 'portico_reconcile_duration_seconds_count', { result: 'invalid' }),
    ).to.be.greaterThan(0);

    // fixed: published again and Programmed
    await kubectlOk(cluster, [
      'patch',
      'mapping',
      'usermapping',
      '--type=merge',
      '-p',
      '{"spec":{"prefix":"/fixed/"}}',
    ]);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
    expect((await envoyDeployment(cluster)).hash).to.not.equal(good.hash);
  });

  it('caches only the Secrets TLSContexts reference', async () => {
    const core = cluster.kubeConfig.makeApiClient(k8s.CoreV1Api);
    for (let i = 0; i < 30; i++) {
      await core.createNamespacedSecret({
        namespace: 'default',
        body: { metadata: { name: `unrelated-${i}` }, type: 'Opaque', stringData: { password: `p${i}` } },
      });
    }
    // a change the operator sees, so it recounts its caches after the Secrets exist
    await kubectlOk(cluster, [
      'patch',
      'mapping',
      'usermapping',
      '--type=merge',
      '-p',
      '{"spec":{"prefix":"/recount/"}}',
    ]);
    await waitForCondition(cluster, 'mappings', 'usermapping', 'Programmed', 'True');
    const text = await metrics(op);
    expect(metricValue(text, 'portico_cached_objects', { kind: 'Secret' })).to.equal(1); // example-local-tls
    expect(metricValue(text, 'portico_cached_objects', { kind: 'Mapping' })).to.be.greaterThan(0);
  });
});
