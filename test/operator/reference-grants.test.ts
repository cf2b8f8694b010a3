// Cross-namespace references through the operator: denied until the target namespace grants them, served while
// the grant exists, denied again when it goes.
import { expect } from 'chai';
import type { TestCluster } from '../support/test-cluster.js';
import type { RunningOperator } from '../../operator/operator.js';
import { clusterWithEnvoy, runOperator, kubectlOk, waitForCondition, conditionOf } from './harness.js';

const BACKEND = `apiVersion: v1
kind: Namespace
metadata: {name: payments}
---
apiVersion: v1
kind: Service
metadata: {name: billing, namespace: payments}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: portico.dev/v1alpha1
kind: Mapping
metadata: {name: billing, namespace: default}
spec: {prefix: /billing/, service: billing.payments}
`;

const GRANT = `apiVersion: portico.dev/v1alpha1
kind: PorticoReferenceGrant
metadata: {name: default-may-bill, namespace: payments}
spec:
  from: [{kind: Mapping, namespace: default}]
  to: [{kind: Service, name: billing}]
`;

describe('operator: PorticoReferenceGrant', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let op: RunningOperator;

  before(async () => {
    cluster = await clusterWithEnvoy();
    op = await runOperator(cluster);
    await kubectlOk(cluster, ['apply', '-f', '-'], BACKEND);
  });
  after(async () => {
    await op?.stop();
    await cluster?.stop();
  });

  it('denies a Service in another namespace without a grant, naming the field', async () => {
    const m = await waitForCondition(cluster, 'mappings', 'billing', 'ResolvedRefs', 'False', 'RefNotPermitted');
    expect(conditionOf(m, 'ResolvedRefs')!.message).to.include('spec.service');
  });

  it('serves it once the target namespace grants it', async () => {
    await kubectlOk(cluster, ['apply', '-f', '-'], GRANT);
    await waitForCondition(cluster, 'mappings', 'billing', 'Programmed', 'True');
  });

  it('denies it again when the grant is deleted', async () => {
    await kubectlOk(cluster, ['delete', 'porticoreferencegrant', '-n', 'payments', 'default-may-bill']);
    await waitForCondition(cluster, 'mappings', 'billing', 'ResolvedRefs', 'False', 'RefNotPermitted');
  });
});
