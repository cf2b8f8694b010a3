// The xds overlay installed on the real world as a user would (`kubectl apply --server-side -k
// manifests/overlays/xds`): the operator pod (dist/, the manifests' RBAC) issues the channel's certificates and
// serves ADS behind its Service; the two Envoy pods start once from the shipped bootstrap, connect over mutual
// TLS, and serve a Mapping applied afterwards through the portico-envoy Service, with no new pod and no new
// ReplicaSet: Programmed=True only once a request through the gateway sees it. Afterwards the default install
// (manifests/) is applied again, so later tests find rollout mode.
import { expect } from 'chai';
import { join } from 'node:path';
import { gatewayRequest } from '../support/gateway-client.js';
import { REPO_ROOT } from '../world/kubelet/images.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const NS = 'xds-overlay-world';

interface PodList {
  items: {
    metadata: { name: string; uid: string; deletionTimestamp?: string };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('real world: the xds overlay (operator and Envoy pods, ADS over mutual TLS)', function () {
  this.timeout(600_000);
  let world: World;

  const apply = async (doc: string) => {
    const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
    expect(r.code, r.stderr).to.equal(0);
  };
  const envoyPods = async () =>
    (
      await world.rest.must<PodList>(
        'GET',
        `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Denvoy`,
      )
    ).items.filter((p) => !p.metadata.deletionTimestamp);
  const replicaSets = async () =>
    (
      await world.rest.must<{ items: { metadata: { name: string } }[] }>(
        'GET',
        `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/replicasets`,
      )
    ).items
      .map((r) => r.metadata.name)
      .sort();
  const programmed = async (name: string) => {
    const m = await world.rest.must<{
      metadata: { generation: number };
      status?: { observedGeneration?: number; conditions?: { type: string; status: string }[] };
    }>('GET', `/apis/portico.dev/v1alpha1/namespaces/${NS}/mappings/${name}`);
    return m.status?.observedGeneration === m.metadata.generation
      ? m.status?.conditions?.find((c) => c.type === 'Programmed')?.status
      : undefined;
  };

  before(async function () {
    world = await realWorld();
    const r = await world.kubectl(
      ['apply', '--server-side', '--force-conflicts', '-k', join(REPO_ROOT, 'manifests/overlays/xds')],
      { timeoutMs: 60_000 },
    );
    expect(r.code, r.stderr).to.equal(0);
    await world.waitForRollout(PORTICO_NAMESPACE, 'portico-operator', 180_000);
    await world.waitForRollout(PORTICO_NAMESPACE, 'portico-envoy', 180_000);
    await apply(namespaceYaml(NS));
    await apply(echoBackendYaml('overlayecho', NS));
    await world.waitForRollout(NS, 'overlayecho');
  });

  after(async function () {
    await world?.kubectl(['delete', 'namespace', NS, '--wait=false']);
    // Back to the default install (rollout mode) for whatever runs next.
    await world?.kubectl(['apply', '--server-side', '--force-conflicts', '-k', join(REPO_ROOT, 'manifests')], {
      timeoutMs: 60_000,
    });
    await world?.waitForRollout(PORTICO_NAMESPACE, 'portico-operator', 180_000).catch(() => undefined);
  });

  it('serves a Mapping applied with kubectl through both Envoy pods without a new pod, Programmed=True only once served', async function () {
    const gateway = world.gatewayUrl('http');
    const pods = (await envoyPods()).map((p) => p.metadata.uid).sort();
    expect(pods).to.have.length(2);
    const sets = await replicaSets();
    await apply(mappingYaml('overlay-a', NS, { prefix: '/overlay-a/', service: 'overlayecho' }));
    const start = Date.now();
    for (;;) {
      const status = await programmed('overlay-a');
      // Several new connections, so both Envoy pods behind the Service answer.
      const codes = await Promise.all(
        [0, 1, 2, 3].map(() =>
          gatewayRequest(gateway, { path: '/overlay-a/x' }).then(
            (x) => x.status,
            () => 0,
          ),
        ),
      );
      if (status === 'True') {
        expect(codes, 'Programmed=True: every Envoy pod serves it').to.deep.equal([200, 200, 200, 200]);
        break;
      }
      if (Date.now() - start > 120_000) throw new Error(`overlay-a not Programmed after 120 s (codes ${codes})`);
      await sleep(100);
    }
    expect((await envoyPods()).map((p) => p.metadata.uid).sort(), 'the same Envoy pods').to.deep.equal(pods);
    expect(await replicaSets(), 'no new ReplicaSet: no rollout').to.deep.equal(sets);
    const secret = await world.rest.request(
      'GET',
      `/api/v1/namespaces/${PORTICO_NAMESPACE}/secrets/portico-xds-client`,
    );
    expect(secret.status).to.equal(200);
  });
});
