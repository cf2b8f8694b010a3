// Programmed means Envoy serves it, on the real world: the real Deployment controller rolls real Envoy pods
// (manifests' strategy), the operator watches the rollout with the manifests' RBAC, and each test polls both the
// Mapping's status and the gateway, so the order is checked, not assumed: Pending while a request through Envoy
// does not see the change, True only once it does, never True while it does not. Also: a crash-looping rollout
// (False with the pod's reason, the old config serving), an operator restarted mid-rollout (recovers it from the
// API), and `kubectl rollout undo` (objects the older config lacks are RolledBack until the next change).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { gatewayRequest } from '../support/gateway-client.js';
import { eventually } from '../support/test-cluster.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const NS = 'programmed-world';
const DEPLOY = `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/deployments/portico-envoy`;

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}
interface Sample {
  at: number;
  status?: string;
  reason?: string;
  message?: string;
  codes: number[];
}
interface DeploymentView {
  metadata: { generation: number };
  spec: {
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: Array<{ name: string; args?: string[] }> };
    };
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('real world: Programmed means Envoy serves it', function () {
  this.timeout(600_000);
  let world: World;
  let gateway: string;

  const apply = async (doc: string) => {
    const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
    expect(r.code, r.stderr).to.equal(0);
  };
  const addMapping = (name: string) => apply(mappingYaml(name, NS, { prefix: `/${name}/`, service: 'progsvc' }));
  /** The Programmed condition for the Mapping's current generation (undefined before the operator wrote one). */
  const programmed = async (name: string): Promise<Condition | undefined> => {
    const m = await world.rest.must<{
      metadata: { generation: number };
      status?: { observedGeneration?: number; conditions?: Condition[] };
    }>('GET', `/apis/portico.dev/v1alpha1/namespaces/${NS}/mappings/${name}`);
    if (m.status?.observedGeneration !== m.metadata.generation) return undefined;
    return m.status?.conditions?.find((c) => c.type === 'Programmed');
  };
  /** Three requests, each on a new connection (so both Envoy pods are asked). */
  const codes = async (name: string) =>
    Promise.all(
      [0, 1, 2].map(() =>
        gatewayRequest(gateway, { path: `/${name}/x` }).then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
  const deployment = () => world.rest.must<DeploymentView>('GET', DEPLOY);
  const operatorLog = async (): Promise<string> => {
    const pods = await world.rest.must<{ items: { metadata: { name: string } }[] }>(
      'GET',
      `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Doperator`,
    );
    return pods.items
      .map((p) => world.kubelet.pod(PORTICO_NAMESPACE, p.metadata.name)?.logPath('operator'))
      .map((path) => (path ? readFileSync(path, 'utf8') : ''))
      .join('\n');
  };
  const waitProgrammed = (name: string, status: string, reason?: string, timeoutMs = 120_000) =>
    eventually(
      `${name} Programmed=${status}${reason ? `/${reason}` : ''}`,
      async () => {
        const c = await programmed(name);
        return c && c.status === status && (!reason || c.reason === reason) ? c : undefined;
      },
      timeoutMs,
      250,
    );
  /** Polls `name` and the gateway until Programmed=True, asserting `steady` Mappings stay True throughout. */
  const follow = async (
    name: string,
    steady: string[],
    timeoutMs = 120_000,
  ): Promise<{ samples: Sample[]; ms: number }> => {
    const start = Date.now();
    const samples: Sample[] = [];
    for (;;) {
      // Status first, then requests: a True read before the requests must be served by them.
      const c = await programmed(name);
      for (const s of steady)
        expect((await programmed(s))?.status, `${s} stays Programmed while ${name} rolls out`).to.equal('True');
      const sample: Sample = {
        at: Date.now() - start,
        status: c?.status,
        reason: c?.reason,
        message: c?.message,
        codes: await codes(name),
      };
      samples.push(sample);
      if (c?.status === 'True') return { samples, ms: sample.at };
      if (Date.now() - start > timeoutMs)
        throw new Error(`${name} not Programmed after ${timeoutMs} ms: ${JSON.stringify(samples.slice(-3))}`);
      await sleep(100);
    }
  };

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    gateway = world.gatewayUrl('http');
    await apply(namespaceYaml(NS));
    await apply(echoBackendYaml('progsvc', NS));
    await world.waitForRollout(NS, 'progsvc');
    await addMapping('prog-base');
    await waitProgrammed('prog-base', 'True');
    expect(await codes('prog-base')).to.deep.equal([200, 200, 200]);
  });

  it('runs with RBAC to watch the Envoy Deployment by name, the pods and ReplicaSets of its namespace and EndpointSlices, no more', async function () {
    const as = ['--as', 'system:serviceaccount:portico-system:portico-operator'];
    const can = async (...args: string[]) => (await world.kubectl(['auth', 'can-i', ...args, ...as])).stdout.trim();
    expect(await can('watch', 'deployments/portico-envoy', '-n', PORTICO_NAMESPACE)).to.equal('yes');
    expect(await can('watch', 'deployments', '-n', PORTICO_NAMESPACE)).to.equal('no');
    expect(await can('watch', 'pods', '-n', PORTICO_NAMESPACE)).to.equal('yes');
    expect(await can('get', 'pods', '-n', PORTICO_NAMESPACE)).to.equal('no');
    expect(await can('watch', 'pods', '-n', 'default')).to.equal('no');
    expect(await can('watch', 'replicasets', '-n', PORTICO_NAMESPACE)).to.equal('yes');
    expect(await can('patch', 'replicasets', '-n', PORTICO_NAMESPACE)).to.equal('no');
    expect(await can('watch', 'endpointslices.discovery.k8s.io', '-n', PORTICO_NAMESPACE)).to.equal('yes');
    // Everywhere, read-only: the statistics count each mapped Service's ready pods.
    expect(await can('watch', 'endpointslices.discovery.k8s.io', '-n', 'default')).to.equal('yes');
    expect(await can('delete', 'endpointslices.discovery.k8s.io', '-n', PORTICO_NAMESPACE)).to.equal('no');
  });

  it('is Pending while the rollout runs and Envoy does not serve the change, True once it does, never True before', async function () {
    const times: number[] = [];
    for (const name of ['prog-a', 'prog-b', 'prog-c']) {
      const before = (await deployment()).spec.template.metadata.annotations?.['portico.dev/config-hash'];
      await addMapping(name);
      const { samples, ms } = await follow(name, ['prog-base']);
      times.push(ms);
      const pending = samples.filter((s) => s.status === 'False');
      expect(pending.length, `${name}: Pending before True`).to.be.greaterThan(0);
      expect(
        pending.every((s) => s.reason === 'Pending'),
        JSON.stringify(pending.map((s) => s.reason)),
      ).to.equal(true);
      expect(
        pending.some((s) =>
          /^rolling out configuration [0-9a-f]{10}: \d of 2 Envoy pods updated/.test(s.message ?? ''),
        ),
        JSON.stringify(pending.map((s) => s.message)),
      ).to.equal(true);
      expect(
        pending.some((s) => s.codes.includes(404)),
        `${name}: some Pending sample saw Envoy not serve it yet`,
      ).to.equal(true);
      const after = (await deployment()).spec.template.metadata.annotations?.['portico.dev/config-hash'];
      expect(after).to.not.equal(before);
      // Programmed=True: every request from now on sees the change.
      for (let i = 0; i < 10; i++) {
        expect(await codes(name), `${name} served once Programmed (${i})`).to.deep.equal([200, 200, 200]);
        await sleep(200);
      }
    }
    console.log(
      `      change → Programmed=True: ${times.map((t) => `${(t / 1000).toFixed(1)} s`).join(', ')} (median ${(median(times) / 1000).toFixed(1)} s)`,
    );
  });

  it('a crash-looping rollout is False with the pod’s reason and Envoy’s own message; the old config keeps serving', async function () {
    const d = await deployment();
    const index = d.spec.template.spec.containers.findIndex((c) => c.name === 'envoy');
    const args = d.spec.template.spec.containers[index].args!;
    const path = `/spec/template/spec/containers/${index}`;
    const patch = (ops: object[]) =>
      world.kubectl([
        '-n',
        PORTICO_NAMESPACE,
        'patch',
        'deployment',
        'portico-envoy',
        '--type=json',
        '-p',
        JSON.stringify(ops),
      ]);
    // An Envoy flag that does not exist; the manifests make its error the termination message (FallbackToLogsOnError).
    let r = await patch([{ op: 'replace', path: `${path}/args`, value: [...args, '--no-such-flag'] }]);
    expect(r.code, r.stderr).to.equal(0);
    try {
      await addMapping('prog-crash');
      const c = await waitProgrammed('prog-crash', 'False', 'CrashLoopBackOff');
      expect(c.message).to.match(
        /^configuration [0-9a-f]{10} does not roll out: Envoy pod portico-system\/portico-envoy-[a-z0-9]+-[a-z0-9]+: container envoy is CrashLoopBackOff/,
      );
      expect(c.message).to.include('it last exited with code 1');
      expect(c.message).to.include('no-such-flag'); // Envoy's own words, from its log
      expect(c.message).to.match(/the Deployment keeps configuration [0-9a-f]{10} on 2 Ready pods serving$/);
      // The last good config keeps serving; what it serves stays Programmed.
      expect((await programmed('prog-base'))?.status).to.equal('True');
      expect(await codes('prog-base')).to.deep.equal([200, 200, 200]);
      expect(await codes('prog-crash')).to.deep.equal([404, 404, 404]);
    } finally {
      r = await patch([{ op: 'replace', path: `${path}/args`, value: args }]);
      expect(r.code, r.stderr).to.equal(0);
    }
    await follow('prog-crash', ['prog-base']);
    expect(await codes('prog-crash')).to.deep.equal([200, 200, 200]);
  });

  it('an operator restarted mid-rollout recovers it from the API: no second rollout, unchanged Mappings stay True', async function () {
    const rollout = (verb: string) =>
      world.kubectl(['-n', PORTICO_NAMESPACE, 'rollout', verb, 'deployment/portico-envoy']);
    // Paused, the rollout stays in progress for as long as the restart takes.
    expect((await rollout('pause')).code).to.equal(0);
    let resumed = false;
    try {
      const before = (await deployment()).metadata.generation;
      await addMapping('prog-restart');
      const patched = await eventually(
        'the operator to point the Deployment at the new config',
        async () => {
          const d = await deployment();
          return d.metadata.generation > before ? d : undefined;
        },
        60_000,
        200,
      );
      await eventually(
        'prog-restart Pending with the paused rollout’s progress',
        async () => {
          const c = await programmed('prog-restart');
          return c?.reason === 'Pending' &&
            /^rolling out configuration [0-9a-f]{10}: 0 of 2 Envoy pods updated, 2 old pods still running$/.test(
              c.message,
            )
            ? c
            : undefined;
        },
        60_000,
        250,
      );

      const del = await world.kubectl([
        '-n',
        PORTICO_NAMESPACE,
        'delete',
        'pod',
        '-l',
        'app.kubernetes.io/component=operator',
        '--wait=true',
      ]);
      expect(del.code, del.stderr).to.equal(0);
      await world.waitForRollout(PORTICO_NAMESPACE, 'portico-operator');
      // The new operator (a new process: it never compiled the config the pods run) keeps what they serve True.
      const until = Date.now() + 8_000;
      while (Date.now() < until) {
        expect((await programmed('prog-base'))?.status, 'prog-base after the restart').to.equal('True');
        expect((await programmed('prog-restart'))?.reason, 'prog-restart after the restart').to.equal('Pending');
        await sleep(250);
      }
      expect((await deployment()).metadata.generation, 'the new operator did not roll again').to.equal(
        patched.metadata.generation,
      );
      expect(await operatorLog(), 'the new operator read the old pods’ config back from its ConfigMaps').to.include(
        'read back a published config',
      );
      expect((await rollout('resume')).code).to.equal(0);
      resumed = true;
      await follow('prog-restart', ['prog-base']);
      const hash = (x: DeploymentView) => x.spec.template.metadata.annotations?.['portico.dev/config-hash'];
      expect(hash(await deployment())).to.equal(hash(patched));
    } finally {
      if (!resumed) await rollout('resume');
    }
  });

  it('kubectl rollout undo: Mappings the older config lacks are RolledBack and not served, until the next change', async function () {
    await addMapping('prog-undo');
    await follow('prog-undo', ['prog-base']);
    const latest = (await deployment()).spec.template.metadata.annotations?.['portico.dev/config-hash'];

    const undo = await world.kubectl(['-n', PORTICO_NAMESPACE, 'rollout', 'undo', 'deployment/portico-envoy']);
    expect(undo.code, undo.stderr).to.equal(0);
    const older = (await deployment()).spec.template.metadata.annotations?.['portico.dev/config-hash'];
    expect(older)
      .to.match(/^[0-9a-f]{10}$/)
      .and.not.equal(latest);
    await world.waitForRollout(PORTICO_NAMESPACE, 'portico-envoy');
    const c = await waitProgrammed('prog-undo', 'False', 'RolledBack');
    expect(c.message).to.equal(
      `The Envoy Deployment portico-system/portico-envoy was rolled back (by kubectl) to configuration ${older}, which does not contain this object: it is not served as written. ` +
        `Portico leaves the Deployment there until the next change, then rolls out the newest configuration (${latest})`,
    );
    expect(await codes('prog-undo')).to.deep.equal([404, 404, 404]);
    expect((await programmed('prog-base'))?.status).to.equal('True');
    expect(await codes('prog-base')).to.deep.equal([200, 200, 200]);
    // The operator leaves the rollback alone (it watches the Deployment: it would have undone it within a second).
    await sleep(5_000);
    expect((await deployment()).spec.template.metadata.annotations?.['portico.dev/config-hash']).to.equal(older);

    // The next change rolls forward: everything in the newest config is served and Programmed again.
    await addMapping('prog-forward');
    await follow('prog-forward', ['prog-base']);
    expect((await programmed('prog-undo'))?.status).to.equal('True');
    expect(await codes('prog-undo')).to.deep.equal([200, 200, 200]);
  });

  after(async function () {
    await world?.settled();
  });
});
