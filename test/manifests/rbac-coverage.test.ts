// The RBAC in manifests/ covers every API call the operator makes, and grants little else. The operator
// (startOperator, the same code as `portico run`) runs against the embedded API server through a recording
// proxy while the examples are applied, changed and deleted; every recorded request is then authorized
// against the rendered ClusterRole/Role bound to its ServiceAccount. Removing any verb the run used must
// make the check fail, so a missing verb cannot go unnoticed.
import { expect } from 'chai';
import { CustomObjectsApi, AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiServer, type ApiServer } from '../../operator/apiserver/index.js';
import { startOperator, type RunningOperator } from '../../operator/operator.js';
import { kubectlOk } from './kubectl-cli.js';
import { renderKustomization } from './render-manifests.js';
import { grantsFor, type Grant } from './rbac/rbac-authorizer.js';
import { deniedRequests, permissionsGranted, permissionsUsed } from './rbac/check-recorded.js';
import { startRecordingProxy, type RecordingProxy } from './rbac/recording-proxy.js';

const NAMESPACE = 'portico-system';
const SA = { namespace: NAMESPACE, name: 'portico-operator' };

/**
 * Grants a run may leave unexercised, each with the reason it is still needed. Anything else granted and
 * unused fails the test: drop it from the RBAC or exercise it here.
 */
const MAY_BE_UNEXERCISED: Record<string, string> = {
  'get portico.dev mappings': 're-read after a 409 on a status write (reconcile/status-writer.ts); only on a conflict',
  'get portico.dev tlscontexts':
    're-read after a 409 on a status write (reconcile/status-writer.ts); only on a conflict',
  'watch core pods':
    'the Envoy pods (kube/envoy-rollout-cache.ts): the embedded API server serves no pods, so the operator lists once, gets 404 and stops; the real world watches them (test/real/programmed-rollout.test.ts)',
};

function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'embedded', server, skipTLSVerify: true }],
    users: [{ name: 'portico-operator', token: 'service-account-token' }],
    contexts: [{ name: 'embedded', cluster: 'embedded', user: 'portico-operator', namespace: NAMESPACE }],
    currentContext: 'embedded',
  });
  return kc;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function withoutVerb(grants: Grant[], permission: string): Grant[] {
  const [verb, group, resource] = permission.split(' ');
  const g = group === 'core' ? '' : group;
  return grants.map((grant) =>
    (grant.rule.apiGroups ?? []).includes(g) && (grant.rule.resources ?? []).includes(resource)
      ? { ...grant, rule: { ...grant.rule, verbs: grant.rule.verbs.filter((v) => v !== verb) } }
      : grant,
  );
}

describe('manifests: RBAC covers every API call of the operator (recorded)', function () {
  this.timeout(90_000);
  let server: ApiServer;
  let proxy: RecordingProxy;
  let operator: RunningOperator | undefined;
  let dir: string;
  let kubeconfig: string;
  let grants: Grant[];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'portico-rbac-'));
    server = await startApiServer({ host: '127.0.0.1', port: 0, crds: [] });
    kubeconfig = path.join(dir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
    await kubectlOk(kubeconfig, ['apply', '--server-side', '-k', 'manifests/']);
    grants = grantsFor((await renderKustomization('manifests')) as any, SA);
    proxy = await startRecordingProxy(server.url);
  });
  after(async () => {
    await operator?.stop();
    await proxy?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the examples flow through the operator, recording its requests', async () => {
    const direct = kubeConfigFor(server.url);
    const custom = direct.makeApiClient(CustomObjectsApi);
    const apps = direct.makeApiClient(AppsV1Api);
    const configHash = async () =>
      (await apps.readNamespacedDeployment({ name: 'portico-envoy', namespace: NAMESPACE })).spec?.template.metadata
        ?.annotations?.['portico.dev/config-hash'];
    const programmed = async () => {
      const list = (await custom.listClusterCustomObject({
        group: 'portico.dev',
        version: 'v1alpha1',
        plural: 'mappings',
      })) as any;
      const done = list.items.every((m: any) =>
        (m.status?.conditions ?? []).some(
          (c: any) => c.type === 'Programmed' && c.observedGeneration === m.metadata.generation,
        ),
      );
      return list.items.length > 0 && done ? list.items : undefined;
    };
    const published = async (previous: string | undefined) =>
      waitFor(`a new config (after ${previous})`, async () => {
        const h = await configHash();
        return h && h !== previous && h !== 'bootstrap' ? h : undefined;
      });

    operator = await startOperator({
      kubeConfig: kubeConfigFor(proxy.url),
      namespace: NAMESPACE,
      httpHost: '127.0.0.1',
      httpPort: 0,
      holdoffMs: 20,
      maxHoldoffMs: 100,
      identity: 'rbac-test',
      logLevel: process.env.PORTICO_TEST_LOG ?? 'error',
    });

    await kubectlOk(kubeconfig, ['apply', '-R', '-f', 'examples/']);
    let hash = await published(undefined);
    const mappings = await waitFor('every example Mapping to report Programmed', programmed);

    // Several generations, so that garbage collection deletes old ones.
    const target = mappings[0];
    for (let i = 1; i <= 4; i++) {
      await kubectlOk(kubeconfig, [
        'patch',
        'mapping',
        target.metadata.name,
        '-n',
        target.metadata.namespace,
        '--type=merge',
        '-p',
        JSON.stringify({ spec: { prefix: `/rbac-${i}/` } }),
      ]);
      hash = await published(hash);
    }
    // A rejected Mapping: status False and a Warning Event.
    const broken = path.join(dir, 'broken.yaml');
    const missing = {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: { name: 'rbac-missing', namespace: target.metadata.namespace },
      spec: { prefix: '/missing/', service: 'no-such-service' },
    };
    await writeFile(broken, JSON.stringify(missing));
    await kubectlOk(kubeconfig, ['apply', '-f', broken]);
    await waitFor('the rejected Mapping to get a status', async () =>
      ((await programmed()) ?? []).find((m: any) => m.metadata.name === 'rbac-missing'),
    );
    await kubectlOk(kubeconfig, ['delete', 'mapping', 'rbac-missing', '-n', target.metadata.namespace]);
    await published(hash);

    await operator.stop();
    operator = undefined;
    expect(proxy.requests.length).to.be.greaterThan(10);
  });

  it('the run exercised publishing, garbage collection, status, events and the Lease', () => {
    const used = permissionsUsed(proxy.requests);
    for (const p of [
      'create core configmaps',
      'patch core configmaps',
      'delete core configmaps',
      'create core secrets',
      'delete core secrets',
      'get apps deployments',
      'patch apps deployments',
      'list apps replicasets',
      'list apps deployments',
      'watch apps deployments',
      'watch apps replicasets',
      'list core pods',
      'list discovery.k8s.io endpointslices',
      'watch discovery.k8s.io endpointslices',
      'update portico.dev mappings/status',
      'update portico.dev tlscontexts/status',
      'create core events',
      'create coordination.k8s.io leases',
      'update coordination.k8s.io leases',
      'watch portico.dev mappings',
      'watch portico.dev tlscontexts',
      'watch portico.dev porticoreferencegrants',
      'watch core services',
      'watch core secrets',
    ]) {
      expect([...used], p).to.include(p);
    }
  });

  it('every recorded request is allowed by the rendered RBAC', () => {
    const denials = deniedRequests(proxy.requests, grants);
    expect(denials, denials.map((d) => `${d.request} needs ${d.needs}`).join('\n')).to.deep.equal([]);
  });

  it('removing any verb the run used makes a request fail', () => {
    for (const permission of permissionsUsed(proxy.requests)) {
      expect(
        deniedRequests(proxy.requests, withoutVerb(grants, permission)),
        `without "${permission}"`,
      ).to.not.deep.equal([]);
    }
  });

  it('grants nothing the operator did not use, except what is listed with a reason', () => {
    const used = permissionsUsed(proxy.requests);
    const unused = [...permissionsGranted(grants)].filter((p) => !used.has(p)).sort();
    const unexplained = unused.filter((p) => !(p in MAY_BE_UNEXERCISED));
    expect(unexplained, 'granted but never used by the operator').to.deep.equal([]);
  });
});
