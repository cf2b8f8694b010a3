// A change rolls Envoy on the real world: the real controller manager's rolling update with the manifests'
// strategy, the kubelet stand-in running preStop and the grace period. New pods are Ready before old ones go, a
// client looping through the gateway sees no failed request, and `kubectl rollout history` / `rollout undo` work
// on the configs.
import { expect } from 'chai';
import http from 'node:http';
import { gatewayRequest } from '../support/gateway-client.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { waitUntil } from '../world/processes.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const NS = 'rollout-world';

interface PodList {
  items: {
    metadata: { name: string; deletionTimestamp?: string };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

/** Requests in a loop (keep-alive, `concurrency` at a time) until stopped; counts what failed and why. */
function clientLoop(url: string, path: string, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let running = true;
  const failures: string[] = [];
  let ok = 0;
  const worker = async (): Promise<void> => {
    while (running) {
      try {
        const r = await gatewayRequest(url, { path, agent });
        if (r.status === 200) ok++;
        else failures.push(`HTTP ${r.status}: ${r.text.slice(0, 100)}`);
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
  };
  const done = Promise.all([...Array(concurrency)].map(worker));
  return {
    async stop() {
      running = false;
      await done;
      agent.destroy();
      return { ok, failures };
    },
  };
}

describe('real world: a config change rolls Envoy without dropping a request', function () {
  this.timeout(300_000);
  let world: World;
  let gateway: string;
  /** The Deployment revision that served the config before /loop-extra/ was added. */
  let revisionBefore: string;
  const revision = async () =>
    (
      await world.rest.must<{ metadata: { annotations: Record<string, string> } }>(
        'GET',
        `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/deployments/portico-envoy`,
      )
    ).metadata.annotations['deployment.kubernetes.io/revision'];

  const envoyPods = async () =>
    (
      await world.rest.must<PodList>(
        'GET',
        `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Denvoy`,
      )
    ).items;
  const ready = (p: PodList['items'][number]) =>
    !p.metadata.deletionTimestamp && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  const noOldPods = async () => (await envoyPods()).every((p) => !p.metadata.deletionTimestamp);

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    gateway = world.gatewayUrl('http');
    for (const doc of [
      namespaceYaml(NS),
      echoBackendYaml('loop', NS, { replicas: 2 }),
      mappingYaml('loop', NS, { prefix: '/loop/', service: 'loop' }),
    ]) {
      const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
      expect(r.code, r.stderr).to.equal(0);
    }
    await world.waitForRollout(NS, 'loop');
    await world.settled();
    await waitUntil('old Envoy pods to be gone', noOldPods, 120_000);
  });

  it('keeps two Ready pods and answers every request of a looping client through a rollout', async function () {
    const loop = clientLoop(gateway, '/loop/x', 4);
    let minReady = Infinity;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        minReady = Math.min(minReady, (await envoyPods()).filter(ready).length);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    revisionBefore = await revision();
    const r = await world.kubectl(['apply', '-f', '-'], {
      stdin: mappingYaml('loop-extra', NS, { prefix: '/loop-extra/', service: 'loop' }),
    });
    expect(r.code, r.stderr).to.equal(0);
    await world.settled();
    await waitUntil('old Envoy pods to be gone', noOldPods, 120_000);
    sampling = false;
    await sampler;
    const { ok, failures } = await loop.stop();
    expect(ok).to.be.greaterThan(100);
    expect(failures, `${failures.length} of ${ok + failures.length} requests failed`).to.deep.equal([]);
    expect(minReady, 'Ready, non-terminating Envoy pods at the lowest point').to.be.at.least(2);
    expect((await gatewayRequest(gateway, { path: '/loop-extra/y' })).status).to.equal(200);
  });

  it('lists the configs in kubectl rollout history, and rollout undo serves the previous one again', async function () {
    const history = await world.kubectl(['-n', PORTICO_NAMESPACE, 'rollout', 'history', 'deployment/portico-envoy']);
    expect(history.code, history.stderr).to.equal(0);
    const revisions = history.stdout
      .trim()
      .split('\n')
      .filter((l) => /^\d+\s/.test(l));
    expect(revisions.length).to.be.at.least(3);

    // Back to the config before /loop-extra/ (the previous revision, unless something else was published since).
    const undo = await world.kubectl([
      '-n',
      PORTICO_NAMESPACE,
      'rollout',
      'undo',
      'deployment/portico-envoy',
      `--to-revision=${revisionBefore}`,
    ]);
    expect(undo.code, undo.stderr).to.equal(0);
    await world.waitForRollout(PORTICO_NAMESPACE, 'portico-envoy');
    // The previous config has no /loop-extra/ Mapping: it is served again, certificates and all.
    expect((await gatewayRequest(gateway, { path: '/loop-extra/y' })).status).to.equal(404);
    expect((await gatewayRequest(gateway, { path: '/loop/x' })).status).to.equal(200);
  });
});
