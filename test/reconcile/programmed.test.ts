// Programmed, object by object, from the rollout and what each config serves: True only when every Ready Envoy
// pod serves the object as written; Pending with the progress; False with the pod's reason; RolledBack.
import { expect } from 'chai';
import { programmedOutcomes, type ProgrammedInputs } from '../../operator/reconcile/programmed.js';
import { rolloutProgress, type RolloutView } from '../../operator/reconcile/rollout-progress.js';
import type { PublishOutcome } from '../../operator/reconcile/status.js';
import { deployment, done, facts, pod, replicaSet } from './support/rollout-fixtures.js';

const H0 = '0000000000';
const H1 = '1111111111';
const H2 = '2222222222';
// A is in every config unchanged; B is new in H1 and unchanged in H2; C changes in H2; D is only in H2.
const prints: Record<string, Map<string, string>> = {
  [H0]: new Map([['Mapping/default/a', 'a']]),
  [H1]: new Map([
    ['Mapping/default/a', 'a'],
    ['Mapping/default/b', 'b'],
    ['Mapping/default/c', 'c1'],
  ]),
  [H2]: new Map([
    ['Mapping/default/a', 'a'],
    ['Mapping/default/b', 'b'],
    ['Mapping/default/c', 'c2'],
    ['Mapping/default/d', 'd'],
  ]),
};
const judge = (rollout: RolloutView, over: Partial<ProgrammedInputs> = {}) =>
  programmedOutcomes({ latest: H2, rollout, fingerprints: (h) => prints[h], ...over });
const keys = ['a', 'b', 'c', 'd'].map((n) => `Mapping/default/${n}`);
const verdicts = (f: (key: string) => PublishOutcome) =>
  Object.fromEntries(keys.map((k) => [k.split('/')[2], ((o) => (o.kind === 'programmed' ? 'True' : o.reason))(f(k))]));

const rs = (hash: string, podHash: string, rev: number, ready: number) =>
  replicaSet(hash, podHash, rev, { replicas: ready, readyReplicas: ready, availableReplicas: ready });
const pods = (hash: string, podHash: string, n: number, o: Parameters<typeof pod>[3] = {}) =>
  [...Array(n)].map((_, i) => pod(`portico-envoy-${podHash}-${i}`, hash, podHash, o));

describe('reconcile: Programmed means Envoy serves it', () => {
  it('is True for everything once the rollout of the newest config has completed', () => {
    const f = judge(rolloutProgress(facts(deployment(H2, { status: done() }))), { fingerprints: () => undefined });
    expect(verdicts(f)).to.deep.equal({ a: 'True', b: 'True', c: 'True', d: 'True' });
  });

  it('while H2 rolls out after H1 completed: unchanged objects stay True (both configs serve them), changed ones are Pending', () => {
    const view = rolloutProgress(
      facts(
        deployment(H2, { status: { replicas: 4, updatedReplicas: 2, availableReplicas: 2 } }),
        [rs(H1, 'h1', 3, 2), rs(H2, 'h2', 4, 0)],
        [...pods(H1, 'h1', 2), ...pods(H2, 'h2', 2, { ready: false })],
      ),
    );
    const f = judge(view);
    expect(verdicts(f)).to.deep.equal({ a: 'True', b: 'True', c: 'Pending', d: 'Pending' });
    expect(f('Mapping/default/c')).to.deep.equal({
      kind: 'not-programmed',
      reason: 'Pending',
      message:
        'rolling out configuration 2222222222: 2 of 2 Envoy pods updated, 0 of them available, 2 old pods still running',
    });
  });

  it('H2 published while H1 still rolls out: an object new in H1 and unchanged in H2 is Pending while H0 pods serve, and says how many pods serve it', () => {
    const view = rolloutProgress(
      facts(
        deployment(H2, { status: { replicas: 3, updatedReplicas: 0, availableReplicas: 3 } }),
        [rs(H0, 'h0', 2, 2), rs(H1, 'h1', 3, 1), rs(H2, 'h2', 4, 0)],
        [...pods(H0, 'h0', 2), ...pods(H1, 'h1', 1)],
      ),
    );
    const f = judge(view);
    expect(verdicts(f)).to.deep.equal({ a: 'True', b: 'Pending', c: 'Pending', d: 'Pending' });
    expect((f('Mapping/default/b') as { message: string }).message).to.match(
      /; 1 of 3 Ready Envoy pods already serve this object as written$/,
    );
    expect((f('Mapping/default/d') as { message: string }).message).to.not.include('already serve');
  });

  it('a rollout that does not progress: False with the pod reason for changed objects; unchanged ones stay True on the old pods', () => {
    const crash = pods(H2, 'h2', 1, {
      ready: false,
      containers: [
        {
          name: 'envoy',
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1 } },
        },
      ],
    });
    const view = rolloutProgress(
      facts(
        deployment(H2, { status: { replicas: 3, updatedReplicas: 1, availableReplicas: 2 } }),
        [rs(H1, 'h1', 3, 2), rs(H2, 'h2', 4, 0)],
        [...pods(H1, 'h1', 2), ...crash],
      ),
    );
    const f = judge(view);
    expect(verdicts(f)).to.deep.equal({ a: 'True', b: 'True', c: 'CrashLoopBackOff', d: 'CrashLoopBackOff' });
    expect((f('Mapping/default/d') as { message: string }).message).to.match(
      /^configuration 2222222222 does not roll out: Envoy pod portico-system\/portico-envoy-h2-0: container envoy is CrashLoopBackOff; restarted 3 times; it last exited with code 1; the Deployment keeps configuration 1111111111 on 2 Ready pods serving$/,
    );
  });

  it('does not count on pods it has not listed yet, nor on configs whose content it cannot read', () => {
    const view = rolloutProgress(
      facts(deployment(H2, { status: { replicas: 4, updatedReplicas: 2 } }), [], pods(H1, 'h1', 2), false),
    );
    expect(verdicts(judge(view))).to.deep.equal({ a: 'Pending', b: 'Pending', c: 'Pending', d: 'Pending' });
    const known = rolloutProgress(
      facts(deployment(H2, { status: { replicas: 4, updatedReplicas: 2 } }), [], pods(H1, 'h1', 2)),
    );
    expect(verdicts(judge(known, { fingerprints: (h) => (h === H2 ? prints[H2] : undefined) }))).to.deep.equal({
      a: 'Pending',
      b: 'Pending',
      c: 'Pending',
      d: 'Pending',
    });
  });

  it("without pods (the embedded API server) the ReplicaSets' Ready counts keep unchanged objects True", () => {
    const view = rolloutProgress(
      facts(
        deployment(H2, { generation: 5, observed: 4, status: done() }),
        [rs(H1, 'h1', 3, 2), rs(H2, 'h2', 4, 0)],
        [],
        false,
        true,
      ),
    );
    expect(verdicts(judge(view))).to.deep.equal({ a: 'True', b: 'True', c: 'Pending', d: 'Pending' });
  });

  it('pods of the placeholder bootstrap serve nothing', () => {
    const view = rolloutProgress(
      facts(deployment(H2, { status: { replicas: 2, updatedReplicas: 0 } }), [], pods('bootstrap', 'boot', 2)),
    );
    expect(verdicts(judge(view))).to.deep.equal({ a: 'Pending', b: 'Pending', c: 'Pending', d: 'Pending' });
  });

  it('a Deployment not yet pointed at the newest config: Pending, naming both', () => {
    const view = rolloutProgress(facts(deployment(H1, { status: done() })));
    const f = judge(view);
    expect(verdicts(f)).to.deep.equal({ a: 'True', b: 'True', c: 'Pending', d: 'Pending' });
    expect(f('Mapping/default/d')).to.deep.include({
      message:
        'configuration 2222222222 is published; waiting for the Envoy Deployment portico-system/portico-envoy to point at it (it points at 1111111111)',
    });
  });

  it('a missing Deployment: Pending for all, as before', () => {
    const f = judge(rolloutProgress(facts(undefined)));
    expect(f('Mapping/default/a')).to.deep.equal({
      kind: 'not-programmed',
      reason: 'Pending',
      message:
        'Deployment portico-system/portico-envoy not found: configuration portico-envoy-2222222222 is published but no Envoy picks it up',
    });
  });

  it('rolled back to H1 (kubectl rollout undo): objects H1 serves as written are True, the others RolledBack saying why', () => {
    const view = rolloutProgress(facts(deployment(H1, { status: done() })));
    const f = judge(view, { rolledBack: { hash: H1, by: 'kubectl' } });
    expect(verdicts(f)).to.deep.equal({ a: 'True', b: 'True', c: 'RolledBack', d: 'RolledBack' });
    expect(f('Mapping/default/c')).to.deep.include({
      message:
        'The Envoy Deployment portico-system/portico-envoy was rolled back (by kubectl) to configuration 1111111111, which serves an earlier version of this object: it is not served as written. ' +
        'Portico leaves the Deployment there until the next change, then rolls out the newest configuration (2222222222)',
    });
    expect((f('Mapping/default/d') as { message: string }).message).to.include('which does not contain this object');
  });

  it('while rolling back, objects the target serves as written are Pending until its pods serve them', () => {
    const view = rolloutProgress(
      facts(
        deployment(H0, { status: { replicas: 4, updatedReplicas: 2, availableReplicas: 2 } }),
        [rs(H2, 'h2', 4, 2), rs(H0, 'h0', 5, 0)],
        pods(H2, 'h2', 2),
      ),
    );
    const f = judge(view, { rolledBack: { hash: H0, by: 'kubectl' } });
    expect(verdicts(f)).to.deep.equal({ a: 'True', b: 'RolledBack', c: 'RolledBack', d: 'RolledBack' });
  });

  it('shares one outcome object between objects in the same state (10k objects, a handful of messages)', () => {
    const view = rolloutProgress(
      facts(deployment(H2, { status: { replicas: 4, updatedReplicas: 2 } }), [], pods(H0, 'h0', 2)),
    );
    const f = judge(view);
    expect(f('Mapping/default/c')).to.equal(f('Mapping/default/d'));
  });
});
