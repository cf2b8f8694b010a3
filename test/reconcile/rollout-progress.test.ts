// The rollout verdict from the Deployment, its ReplicaSets and pods: complete as `kubectl rollout status` says,
// progressing with how far, or failed with the pod's own reason, naming the pod.
import { expect } from 'chai';
import { rolloutProgress } from '../../operator/reconcile/rollout-progress.js';
import { podFailure } from '../../operator/reconcile/pod-failure.js';
import { NS, deployment, done, facts, pod, replicaSet, running } from './support/rollout-fixtures.js';

const OLD = 'aaaaaaaaaa';
const NEW = 'bbbbbbbbbb';
const rsOld = replicaSet(OLD, 'old111', 3, { replicas: 2, readyReplicas: 2, availableReplicas: 2 });
const oldPods = [pod('portico-envoy-old111-a', OLD, 'old111'), pod('portico-envoy-old111-b', OLD, 'old111')];

describe('reconcile: Envoy rollout progress', () => {
  it('is missing without a Deployment', () => {
    expect(rolloutProgress(facts(undefined))).to.include({
      phase: 'missing',
      message: `Deployment ${NS}/portico-envoy not found`,
    });
  });

  it('is complete when every replica is updated and available and no old one is left (kubectl rollout status)', () => {
    const v = rolloutProgress(facts(deployment(NEW, { status: { ...done(), terminatingReplicas: 2 } })));
    expect(v).to.include({ phase: 'complete', hash: NEW, desired: 2, updated: 2, available: 2, old: 0 });
    expect(v.message).to.equal(`configuration ${NEW} is rolled out: 2 Envoy pods available`);
  });

  it('is not complete while a deleted old pod is still listed ready in an EndpointSlice (it still gets requests)', () => {
    const newPods = [pod('portico-envoy-new222-a', NEW, 'new222'), pod('portico-envoy-new222-b', NEW, 'new222')];
    const leaving = oldPods.map((p) => ({
      ...p,
      metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:09Z' },
    }));
    const slice = (names: string[]) => ({
      endpoints: names.map((name) => ({
        addresses: ['10.0.0.1'],
        conditions: { ready: true },
        targetRef: { kind: 'Pod', name },
      })),
    });
    const d = deployment(NEW, { status: { ...done(), terminatingReplicas: 2 } });
    const lagging = rolloutProgress({
      ...facts(d, [], [...newPods, ...leaving]),
      endpointSlices: [slice(['portico-envoy-old111-a', 'portico-envoy-new222-a'])],
      endpointsKnown: true,
    });
    expect(lagging.phase).to.equal('progressing');
    expect(lagging.message).to.equal(
      `rolling out configuration ${NEW}: 2 of 2 Envoy pods updated and available; waiting for 1 old pod to leave the Service endpoints`,
    );
    expect(lagging.serving).to.deep.equal([
      { hash: OLD, pods: 1 },
      { hash: NEW, pods: 2 },
    ]);
    const updated = rolloutProgress({
      ...facts(d, [], [...newPods, ...leaving]),
      endpointSlices: [slice(['portico-envoy-new222-a', 'portico-envoy-new222-b'])],
      endpointsKnown: true,
    });
    expect(updated.phase).to.equal('complete');
    // A slice that marks the old pod not ready (terminating) no longer counts it either.
    const marked = {
      endpoints: [
        {
          addresses: ['10.0.0.9'],
          conditions: { ready: false, serving: true, terminating: true },
          targetRef: { kind: 'Pod', name: 'portico-envoy-old111-a' },
        },
      ],
    };
    expect(
      rolloutProgress({ ...facts(d, [], [...newPods, ...leaving]), endpointSlices: [marked], endpointsKnown: true })
        .phase,
    ).to.equal('complete');
  });

  it('waits for the controller to observe a new template before trusting the counts', () => {
    const v = rolloutProgress(facts(deployment(NEW, { generation: 5, observed: 4, status: done() })));
    expect(v.phase).to.equal('progressing');
    expect(v.message).to.equal(
      `rolling out configuration ${NEW}: waiting for the Deployment controller to observe generation 5`,
    );
  });

  it('says how far it is: updated, available of the new ones, old pods still running', () => {
    const rsNew = replicaSet(NEW, 'new222', 4, { replicas: 1, readyReplicas: 1, availableReplicas: 0 });
    const v = rolloutProgress(
      facts(
        deployment(NEW, {
          status: { replicas: 3, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 2, unavailableReplicas: 1 },
        }),
        [rsOld, rsNew],
        [...oldPods, pod('portico-envoy-new222-a', NEW, 'new222')],
      ),
    );
    expect(v).to.include({ phase: 'progressing', updated: 1, old: 2 });
    expect(v.message).to.equal(
      `rolling out configuration ${NEW}: 1 of 2 Envoy pods updated, 0 of them available, 2 old pods still running`,
    );
    expect(v.serving).to.deep.equal([
      { hash: OLD, pods: 2 },
      { hash: NEW, pods: 1 },
    ]);
  });

  it('counts only Ready, non-terminating pods as serving, and the placeholder as no config', () => {
    const boot = pod('portico-envoy-boot-a', 'bootstrap', 'boot');
    boot.spec = {
      volumes: [
        { name: 'published-config', projected: { sources: [{ configMap: { name: 'portico-envoy-bootstrap' } }] } },
      ],
    };
    const v = rolloutProgress(
      facts(
        deployment(NEW, { status: { replicas: 2, updatedReplicas: 0 } }),
        [],
        [boot, pod('x', OLD, 'old111', { deleting: true }), pod('y', OLD, 'old111', { ready: false })],
      ),
    );
    expect(v.serving).to.deep.equal([{ hash: undefined, pods: 1 }]);
    expect(rolloutProgress(facts(deployment(NEW), [], oldPods, false)))
      .to.include({ servingKnown: false })
      .and.to.have.property('serving')
      .that.deep.equals([]);
  });

  it("where the API server serves no pods, the ReplicaSets' Ready counts say what is served", () => {
    const rsNew = replicaSet(NEW, 'new222', 4, { replicas: 1, readyReplicas: 0 });
    const foreign = {
      ...replicaSet(NEW, 'zzz999', 1, { replicas: 5, readyReplicas: 5 }),
      metadata: {
        ...replicaSet(NEW, 'zzz999', 1).metadata,
        ownerReferences: [{ kind: 'Deployment', name: 'other', uid: 'other-uid', controller: true }],
      },
    };
    const v = rolloutProgress(
      facts(deployment(NEW, { status: { replicas: 3, updatedReplicas: 1 } }), [rsOld, rsNew, foreign], [], false, true),
    );
    expect(v).to.include({ servingKnown: true });
    expect(v.serving).to.deep.equal([{ hash: OLD, pods: 2 }]);
  });

  it('fails with the crash-looping pod of the new ReplicaSet, its last exit and termination message, and what keeps serving', () => {
    const rsNew = replicaSet(NEW, 'new222', 4, { replicas: 1 });
    const crashing = pod('portico-envoy-new222-z', NEW, 'new222', {
      ready: false,
      containers: [
        {
          name: 'envoy',
          ready: false,
          restartCount: 2,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: 'back-off 20s restarting failed container=envoy pod=portico-envoy-new222-z',
            },
          },
          lastState: {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              message: '[critical] error initializing config: unknown flag --bogus\n',
            },
          },
        },
      ],
    });
    const v = rolloutProgress(
      facts(
        deployment(NEW, { status: { replicas: 3, updatedReplicas: 1, availableReplicas: 2 } }),
        [rsOld, rsNew],
        [...oldPods, crashing],
      ),
    );
    expect(v.phase).to.equal('failed');
    expect(v.failure?.reason).to.equal('CrashLoopBackOff');
    expect(v.message).to.equal(
      `configuration ${NEW} does not roll out: Envoy pod ${NS}/portico-envoy-new222-z: container envoy is CrashLoopBackOff ` +
        '(back-off 20s restarting failed container=envoy pod=portico-envoy-new222-z); restarted 2 times; ' +
        'it last exited with code 1 (Error): [critical] error initializing config: unknown flag --bogus; ' +
        `the Deployment keeps configuration ${OLD} on 2 Ready pods serving`,
    );
  });

  it('ignores failures of pods that belong to an older ReplicaSet', () => {
    const rsNew = replicaSet(NEW, 'new222', 4, { replicas: 1 });
    const oldCrash = pod('portico-envoy-old111-c', OLD, 'old111', {
      ready: false,
      containers: [{ name: 'envoy', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    });
    expect(
      rolloutProgress(
        facts(deployment(NEW, { status: { replicas: 3, updatedReplicas: 1 } }), [rsOld, rsNew], [...oldPods, oldCrash]),
      ).phase,
    ).to.equal('progressing');
  });

  it('finds the new ReplicaSet by the Deployment revision, so a bad template with the same config is still found', () => {
    const good = replicaSet(NEW, 'good33', 4, { replicas: 0 });
    const bad = replicaSet(NEW, 'bad444', 6, { replicas: 1 });
    const pulling = pod('portico-envoy-bad444-a', NEW, 'bad444', {
      ready: false,
      containers: [
        {
          name: 'envoy',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ErrImagePull', message: 'image envoyproxy/envoy:v9.9.9 not found' } },
          lastState: {},
        },
      ],
    });
    const v = rolloutProgress(
      facts(
        deployment(NEW, { revision: 6, status: { replicas: 3, updatedReplicas: 1 } }),
        [good, bad, rsOld],
        [...oldPods, pulling],
      ),
    );
    expect(v.failure).to.deep.equal({
      reason: 'ErrImagePull',
      message: `Envoy pod ${NS}/portico-envoy-bad444-a: container envoy is ErrImagePull (image envoyproxy/envoy:v9.9.9 not found)`,
    });
  });

  it('fails with ProgressDeadlineExceeded when no pod says more, and adds the deadline to a pod failure', () => {
    const dl = {
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "portico-envoy-new222" has timed out progressing.',
    };
    const v = rolloutProgress(facts(deployment(NEW, { progressing: dl, status: { replicas: 3, updatedReplicas: 1 } })));
    expect(v.failure).to.deep.equal({
      reason: 'ProgressDeadlineExceeded',
      message: `Deployment ${NS}/portico-envoy: ReplicaSet "portico-envoy-new222" has timed out progressing.`,
    });
    const rsNew = replicaSet(NEW, 'new222', 4, { replicas: 1 });
    const stuck = pod('portico-envoy-new222-a', NEW, 'new222', {
      ready: false,
      containers: [
        { name: 'envoy', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
      ],
    });
    const w = rolloutProgress(
      facts(deployment(NEW, { progressing: dl, status: { replicas: 3, updatedReplicas: 1 } }), [rsNew], [stuck]),
    );
    expect(w.failure?.reason).to.equal('ImagePullBackOff');
    expect(w.message).to.include('; the Deployment exceeded its progress deadline; ');
  });

  it('reports a ReplicaSet that cannot create pods (quota, admission)', () => {
    const rsNew = replicaSet(NEW, 'new222', 4, {
      replicas: 0,
      conditions: [
        {
          type: 'ReplicaFailure',
          status: 'True',
          reason: 'FailedCreate',
          message: 'pods "x" is forbidden: exceeded quota',
        },
      ],
    });
    const v = rolloutProgress(
      facts(deployment(NEW, { status: { replicas: 2, updatedReplicas: 0 } }), [rsOld, rsNew], oldPods),
    );
    expect(v.failure).to.deep.equal({
      reason: 'FailedCreate',
      message: `ReplicaSet ${NS}/portico-envoy-new222: pods "x" is forbidden: exceeded quota`,
    });
  });

  it('a Deployment scaled to 0 serves nothing: failed, not complete', () => {
    const v = rolloutProgress(
      facts(
        deployment(NEW, { replicas: 0, status: { replicas: 0, updatedReplicas: 0, availableReplicas: 0 } }),
        [],
        [],
      ),
    );
    expect(v).to.include({ phase: 'failed' });
    expect(v.failure).to.deep.equal({
      reason: 'NoReplicas',
      message: `Deployment ${NS}/portico-envoy is scaled to 0 replicas: no Envoy serves any configuration`,
    });
  });

  it('a completed rollout is complete even if a pod of it crashes afterwards (the controller replaces it)', () => {
    const rsNew = replicaSet(NEW, 'new222', 4, { replicas: 2, readyReplicas: 2, availableReplicas: 2 });
    const crash = pod('portico-envoy-new222-c', NEW, 'new222', {
      ready: false,
      containers: [{ name: 'envoy', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    });
    expect(
      rolloutProgress(
        facts(deployment(NEW, { status: done() }), [rsNew], [pod('portico-envoy-new222-a', NEW, 'new222'), crash]),
      ).phase,
    ).to.equal('complete');
  });
});

describe('reconcile: why an Envoy pod does not come up', () => {
  const at = (o: Parameters<typeof pod>[3]) => podFailure(pod('p', NEW, 'h', o));

  it('is no failure while the pod is being created or initialised, or once it runs', () => {
    expect(
      at({
        ready: false,
        containers: [{ name: 'envoy', state: { waiting: { reason: 'ContainerCreating' } } }],
        init: [],
      }),
    ).to.equal(undefined);
    expect(
      at({ ready: false, containers: [{ name: 'envoy', state: { waiting: { reason: 'PodInitializing' } } }] }),
    ).to.equal(undefined);
    expect(at({})).to.equal(undefined);
    expect(
      at({ containers: [{ ...running(), restartCount: 3, lastState: { terminated: { exitCode: 1 } } }] }),
    ).to.equal(undefined); // crashed once, Ready now
  });

  it('names a failing init container (the unpack step) with its exit', () => {
    const f = at({
      ready: false,
      init: [
        {
          name: 'unpack-config',
          restartCount: 1,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } },
          lastState: {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              message: 'sha256sum: WARNING: 1 computed checksum did NOT match',
            },
          },
        },
      ],
      containers: [{ name: 'envoy', state: { waiting: { reason: 'PodInitializing' } } }],
    });
    expect(f).to.deep.equal({
      reason: 'CrashLoopBackOff',
      message: `Envoy pod ${NS}/p: init container unpack-config is CrashLoopBackOff (back-off 10s); restarted 1 time; it last exited with code 1 (Error): sha256sum: WARNING: 1 computed checksum did NOT match`,
    });
  });

  it('treats a container running again after a failed run, not Ready, as crash-looping', () => {
    const f = at({
      ready: false,
      containers: [
        {
          name: 'envoy',
          ready: false,
          restartCount: 4,
          state: { running: {} },
          lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
        },
      ],
    });
    expect(f?.reason).to.equal('CrashLoopBackOff');
    expect(f?.message).to.include('it last exited with code 137 (OOMKilled)');
  });

  it('reports an unschedulable or failed pod', () => {
    expect(
      at({
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient cpu.',
          },
        ],
        containers: [],
        init: [],
      }),
    ).to.deep.equal({
      reason: 'Unschedulable',
      message: `Envoy pod ${NS}/p cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.`,
    });
    const evicted = pod('p', NEW, 'h');
    evicted.status = { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' };
    expect(podFailure(evicted)).to.deep.equal({
      reason: 'Evicted',
      message: `Envoy pod ${NS}/p failed: The node was low on resource: memory.`,
    });
  });

  it('keeps a long termination message to its last 400 characters, on one line', () => {
    const long = `${'x'.repeat(1000)}\nthe end`;
    const f = at({
      ready: false,
      containers: [
        {
          name: 'envoy',
          restartCount: 1,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, message: long } },
        },
      ],
    });
    expect(f!.message).to.match(/: …x+ the end$/);
    expect(f!.message.split(': …')[1].length).to.equal(400);
  });
});
