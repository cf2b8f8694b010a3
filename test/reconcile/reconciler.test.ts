// The reconciler in-process: the real Reconciler, Publisher, EventRecorder and ServedConfigs over a cluster held
// in memory (a recording writer, and a cache that reads back what was written). What each run writes, in which
// order, which Events it records, what it reports; no API server, so each case runs in milliseconds.
import { expect } from 'chai';
import { InMemoryCluster } from './support/in-memory-cluster.js';
import { Reconciler } from '../../operator/reconcile/reconciler.js';
import { Publisher } from '../../operator/reconcile/publisher.js';
import { EventRecorder } from '../../operator/reconcile/events.js';
import { ServedConfigs } from '../../operator/reconcile/served-configs.js';
import { createMetrics } from '../../operator/metrics/operator-metrics.js';
import { createLogger } from '../../operator/log/logger.js';
import type { Mapping, Condition } from '../../operator/api/types.js';
import type { ValidationIssue } from '../../operator/envoy-validate/index.js';
import { mapping as baseMapping } from '../support/objects.js';

const NS = 'portico-system';
const ENVOY = 'portico-envoy';

// In namespace default, with a uid as the API server gives one (the recorded Events name it).
const mapping = (name: string, spec: Mapping['spec'], generation = 1): Mapping => baseMapping('default', name, spec, { generation, uid: `uid-${name}` });

function envoyDeployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: ENVOY, namespace: NS, generation: 1, uid: 'deployment-uid' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: ENVOY } },
      template: {
        metadata: { labels: { app: ENVOY }, annotations: { 'portico.dev/config-hash': 'bootstrap' } },
        spec: { containers: [{ name: 'envoy', image: 'envoyproxy/envoy:v1.40.0' }], volumes: [] },
      },
    },
  };
}

/** A cluster with one good Mapping (and its Service), one that names a missing Service, and the Envoy Deployment. */
function cluster(opts: { deployment?: boolean } = {}): InMemoryCluster {
  const c = new InMemoryCluster();
  c.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } } as never);
  c.put(mapping('good', { prefix: '/good/', service: 'web' }) as never);
  c.put(mapping('orphan', { prefix: '/orphan/', service: 'nowhere' }) as never);
  if (opts.deployment !== false) c.put(envoyDeployment() as never);
  return c;
}

interface Harness {
  reconciler: Reconciler;
  retries: number[];
  metrics: ReturnType<typeof createMetrics>;
}

function reconcilerFor(c: InMemoryCluster, opts: { leader?: boolean; validate?: (bootstrap: unknown) => ValidationIssue[] } = {}): Harness {
  const log = createLogger({ level: 'silent' });
  const retries: number[] = [];
  const metrics = createMetrics();
  const reconciler = new Reconciler({
    cache: c.cache,
    publisher: new Publisher(c.writer, NS, ENVOY, log),
    writer: c.writer,
    events: new EventRecorder(c.writer, 'test-instance', log),
    metrics,
    log,
    isLeader: () => opts.leader !== false,
    namespace: NS,
    deploymentName: ENVOY,
    validate: opts.validate,
    retryLater: (ms) => retries.push(ms),
    rollout: c.rollout(NS, ENVOY),
    served: new ServedConfigs(c.writer, NS, log),
  });
  return { reconciler, retries, metrics };
}

const conditions = (c: InMemoryCluster, name: string): string[] =>
  ((c.get<Mapping>('Mapping', 'default', name)?.status?.conditions ?? []) as Condition[]).map((x) => `${x.type}=${x.status}/${x.reason}`);

describe('operator: the reconciler in-process (recording writer, in-memory cache)', () => {
  it('leader: publishes the generation before pointing the Deployment at it, writes statuses, records one Event per rejection', async () => {
    const c = cluster();
    const { reconciler, metrics } = reconcilerFor(c);
    await reconciler.run(Date.now());

    const applies = c.callsOf('apply');
    expect(applies.at(-1)).to.equal(`Deployment/${ENVOY}`);
    expect(applies.slice(0, -1).every((a) => /^(ConfigMap|Secret)\/portico-(envoy|certs)-/.test(a))).to.equal(true);
    const hash = reconciler.state.lastGood!.hash;
    expect(c.get<{ spec: { template: { metadata: { annotations: Record<string, string> } } } }>('Deployment', NS, ENVOY)!.spec.template.metadata.annotations['portico.dev/config-hash']).to.equal(hash);

    // No pod serves the new config yet: Pending, the orphan (a 503 placeholder in the config) too.
    expect(conditions(c, 'good')).to.deep.equal(['Accepted=True/Accepted', 'ResolvedRefs=True/ResolvedRefs', 'Programmed=False/Pending']);
    expect(conditions(c, 'orphan')).to.deep.equal(['Accepted=True/Accepted', 'ResolvedRefs=False/BackendNotFound', 'Programmed=False/Pending']);
    expect(c.events.map((e) => `${e.type} ${e.involvedObject.kind}/${e.involvedObject.name} ${e.reason}`)).to.deep.equal(['Warning Mapping/orphan BackendNotFound']);
    expect(reconciler.state).to.include({ published: true, deploymentMissing: false, runs: 1 });
    expect(reconciler.state.latest!.statuses.map((s) => s.ref.name)).to.deep.equal(['good', 'orphan']);
    const gauge = (await metrics.objectsByCondition.get()).values.map((v) => `${v.labels.condition}=${v.labels.status} ${v.value}`);
    expect(gauge.sort()).to.deep.equal(['Accepted=True 2', 'Programmed=False 2', 'ResolvedRefs=False 1', 'ResolvedRefs=True 1']);
  });

  it('a second run over an unchanged cluster writes nothing at all', async () => {
    const c = cluster();
    const { reconciler } = reconcilerFor(c);
    await reconciler.run(Date.now());
    const before = c.calls.length;
    reconciler.invalidate(); // compile again: same inputs, same hash
    await reconciler.run(Date.now());
    expect(c.calls.slice(before)).to.deep.equal([]);
  });

  it('a new leader does not repeat an Event for a rejection the object already carries', async () => {
    const c = cluster();
    await reconcilerFor(c).reconciler.run(Date.now());
    const events = c.events.length;
    await reconcilerFor(c).reconciler.run(Date.now()); // fresh recorder, as after a failover
    expect(c.events.length).to.equal(events);
  });

  it('follower: compiles and reports diagnostics, writes nothing', async () => {
    const c = cluster();
    const { reconciler } = reconcilerFor(c, { leader: false });
    await reconciler.run(Date.now());
    expect(c.calls).to.deep.equal([]);
    expect(reconciler.state.lastGood?.hash).to.be.a('string');
    expect(reconciler.state.latest!.statuses.find((s) => s.ref.name === 'good')!.conditions.map((x) => x.reason)).to.deep.equal(['Accepted', 'ResolvedRefs', 'Pending']);
  });

  it('an invalid config is not published: a Warning on the Deployment, Programmed=False/Invalid on every object in it', async () => {
    const c = cluster();
    const { reconciler } = reconcilerFor(c, { validate: () => [{ path: 'static_resources.listeners[0]', message: 'bad port' }] });
    await reconciler.run(Date.now());
    expect(c.callsOf('apply')).to.deep.equal([]);
    const deploymentEvent = c.events.find((e) => e.involvedObject.kind === 'Deployment')!;
    expect(deploymentEvent.reason).to.equal('InvalidConfig');
    expect(deploymentEvent.message).to.match(/failed validation \(1 issue\(s\), first: static_resources.listeners\[0\]: bad port\); nothing has been published$/);
    expect(conditions(c, 'good')[2]).to.equal('Programmed=False/Invalid');
    expect(reconciler.state.invalidIssues).to.have.length(1);
  });

  it('a missing Deployment: the config is published, and a DeploymentNotFound Warning says no Envoy picks it up', async () => {
    const c = cluster({ deployment: false });
    const { reconciler } = reconcilerFor(c);
    await reconciler.run(Date.now());
    expect(c.callsOf('apply').some((a) => a.startsWith('ConfigMap/'))).to.equal(true);
    expect(c.callsOf('apply')).not.to.include(`Deployment/${ENVOY}`);
    const e = c.events.find((x) => x.involvedObject.kind === 'Deployment')!;
    expect(e.reason).to.equal('DeploymentNotFound');
    expect(e.message).to.contain(`Deployment ${NS}/${ENVOY} not found`);
    expect(reconciler.state.deploymentMissing).to.equal(true);
  });

  it('a failed publish is said on every object, then the run fails and is retried with a doubling delay', async () => {
    const c = cluster();
    c.fail = (call) => (call.verb === 'apply' && call.kind === 'ConfigMap' ? Object.assign(new Error('etcd unavailable'), { code: 503 }) : undefined);
    const { reconciler, retries } = reconcilerFor(c);
    await reconciler.run(Date.now());
    await reconciler.run(Date.now());
    await reconciler.run(Date.now());
    expect(retries).to.deep.equal([500, 1000, 2000]);
    expect(reconciler.state.lastError).to.equal('etcd unavailable');
    expect(conditions(c, 'good')[2]).to.equal('Programmed=False/PublishFailed');
    const good = c.get<Mapping>('Mapping', 'default', 'good')!.status!.conditions!.find((x) => x.type === 'Programmed')!;
    expect(good.message).to.match(/could not be published: etcd unavailable; the configuration already published stays in place$/);
    c.fail = undefined;
    await reconciler.run(Date.now());
    expect(reconciler.state.lastError).to.equal(undefined);
    expect(c.callsOf('apply').at(-1)).to.equal(`Deployment/${ENVOY}`);
  });

  it('a failed status write asks for a retry, with its own back-off', async () => {
    const c = cluster();
    c.fail = (call) => (call.verb === 'replaceStatus' ? Object.assign(new Error('timeout'), { code: 504 }) : undefined);
    const { reconciler, retries } = reconcilerFor(c);
    await reconciler.run(Date.now());
    await reconciler.run(Date.now());
    expect(retries).to.deep.equal([500, 1000]);
    expect(reconciler.state.lastError).to.equal(undefined);
  });
});
