// The reconcile's decisions (operator/reconcile/plan.ts), as pure functions: whether to publish, what a publish
// amounts to, which statuses and Events the leader reports, what the diagnostics show.
import { expect } from 'chai';
import { judgeConfig, judgePublish, planDiagnostics, planReport, fingerprintsNeeded } from '../../operator/reconcile/plan.js';
import type { ObjectStatus } from '../../operator/compile/types.js';
import type { GatewayIR } from '../../operator/compile/ir.js';
import type { Mapping } from '../../operator/api/types.js';
import { accepted, refsResolved, refsNotResolved, programmedPending, notProgrammed } from '../../operator/api/conditions.js';
import type { RolloutView } from '../../operator/reconcile/rollout-progress.js';
import { gatewayIR } from '../support/ir-builders.js';

const DEPLOYMENT = { namespace: 'portico-system', name: 'portico-envoy' };
const status = (name: string, ok = true): ObjectStatus => ({
  ref: { kind: 'Mapping', namespace: 'default', name, generation: 1, uid: `uid-${name}` },
  inConfig: true,
  conditions: ok ? [accepted(1), refsResolved(1), programmedPending(1)] : [accepted(1), refsNotResolved('BackendNotFound', 'Service default/x not found', 1), programmedPending(1)],
});
const cachedMapping = (name: string, conditions: unknown[] = []): Mapping =>
  ({ apiVersion: 'portico.dev/v1alpha1', kind: 'Mapping', metadata: { name, namespace: 'default', generation: 1 }, spec: { prefix: '/', service: 's' }, status: { conditions } }) as Mapping;
const ir = (contexts: Array<{ name: string; certFile: string; keyFile: string }>): GatewayIR =>
  gatewayIR([], [], contexts.map((c) => ({ name: c.name, serverNames: [c.name], tls: { certFile: c.certFile, keyFile: c.keyFile, minTlsVersion: 'v1.2', alpnProtocols: [] } })));
const published = { deploymentPointsAtConfig: true, rolled: true, objectsWritten: true, deploymentMissing: false, deployment: { metadata: { name: 'portico-envoy' } } };

describe('operator: the reconcile plan', () => {
  it('publishes a config both checks pass', () => {
    expect(judgeConfig({ hash: 'h1', issues: [] }, undefined)).to.deep.equal({ kind: 'publish' });
    expect(judgeConfig({ hash: 'h1', issues: [], real: { kind: 'accepted', ms: 3 } as never }, 'h0').kind).to.equal('publish');
  });

  it('a config the proto check fails: not published, and the message says what stays in place', () => {
    const v = judgeConfig({ hash: 'h2', issues: [{ path: 'a.b', message: 'bad' }, { path: 'c', message: 'worse' }] }, 'h1');
    if (v.kind !== 'invalid') throw new Error('expected invalid');
    expect(v.event).to.deep.equal({ reason: 'InvalidConfig', message: 'The generated Envoy configuration h2 failed validation (2 issue(s), first: a.b: bad); the last good configuration h1 stays in place' });
    expect(v.outcome).to.deep.equal({ kind: 'not-programmed', reason: 'Invalid', message: v.event.message });
    expect(v.refusals.size).to.equal(0);
  });

  it("Envoy's refusal names its culprits (five, then a count) and gives each its own message", () => {
    const objects = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => ({ kind: 'Mapping', namespace: 'default', name }));
    const v = judgeConfig({ hash: 'h2', issues: [], real: { kind: 'rejected', message: 'duplicate route', objects } as never }, undefined);
    if (v.kind !== 'invalid' || v.outcome.kind !== 'not-programmed') throw new Error('expected invalid');
    expect(v.issues).to.deep.equal([{ path: 'envoy --mode validate', message: 'duplicate route' }]);
    expect(v.outcome.message).to.equal(
      'The generated configuration h2 was not published: Envoy refused it because of Mapping default/a, Mapping default/b, Mapping default/c, Mapping default/d, Mapping default/e and 2 more; nothing has been published',
    );
    expect(v.outcome.objects!.get('Mapping/default/g')).to.equal('Envoy refused the generated configuration h2: duplicate route; nothing has been published');
    expect([...v.refusals.keys()]).to.have.length(7);
  });

  it('a refused publish: TooLarge on the TLSContexts whose files are over the limit, and a ConfigTooLarge Warning', () => {
    const refused = { reason: 'TooLarge' as const, message: 'certificate file big.crt is 2 MiB', oversized: [{ file: 'big.crt', bytes: 2 << 20 }] };
    const step = judgePublish(
      { hash: 'h3', ir: ir([{ name: 'default/big', certFile: 'big.crt', keyFile: 'big.key' }, { name: 'default/small', certFile: 's.crt', keyFile: 's.key' }]) },
      { ok: true, pub: { ...published, rolled: false, objectsWritten: false, refused } as never },
      DEPLOYMENT,
    );
    if (step.result !== 'refused') throw new Error('expected refused');
    expect(step.event.reason).to.equal('ConfigTooLarge');
    expect([...step.refusals]).to.deep.equal([['TLSContext/default/big', { reason: 'TooLarge', message: step.event.message }]]);
    expect(step.outcome).to.include({ kind: 'not-programmed', reason: 'TooLarge' });
  });

  it('a publish that threw carries the error on, to fail the run after the statuses say so', () => {
    const error = new Error('boom');
    const step = judgePublish({ hash: 'h4', ir: ir([]) }, { ok: false, error, message: 'boom' }, DEPLOYMENT);
    if (step.result !== 'error') throw new Error('expected error');
    expect(step.error).to.equal(error);
    expect(step.outcome).to.deep.equal({ kind: 'not-programmed', reason: 'PublishFailed', message: 'The Envoy configuration h4 could not be published: boom; the configuration already published stays in place' });
  });

  it('judges the rollout by our own patch when we rolled, by nothing when the Deployment is gone, else by the watch', () => {
    const rolled = judgePublish({ hash: 'h5', ir: ir([]) }, { ok: true, pub: published as never }, DEPLOYMENT);
    expect(rolled).to.include({ result: 'published', published: true, rolled: true, deployment: published.deployment });
    const unchanged = judgePublish({ hash: 'h5', ir: ir([]) }, { ok: true, pub: { ...published, rolled: false, objectsWritten: false } as never }, DEPLOYMENT);
    expect(unchanged).to.include({ result: 'unchanged', deployment: undefined, event: undefined });
    const missing = judgePublish({ hash: 'h5', ir: ir([]) }, { ok: true, pub: { ...published, rolled: false, deploymentPointsAtConfig: false, deploymentMissing: true } as never }, DEPLOYMENT);
    expect(missing).to.include({ deployment: null, published: false });
    expect(missing.result !== 'error' && missing.result !== 'refused' && missing.event).to.deep.equal({
      reason: 'DeploymentNotFound',
      message: 'Deployment portico-system/portico-envoy not found: configuration h5 is published but no Envoy picks it up',
    });
  });

  it('needs no fingerprints once the newest config is rolled out, else those of every config pods may serve', () => {
    expect(fingerprintsNeeded('h1', { phase: 'complete', hash: 'h1', serving: [] } as unknown as RolloutView)).to.deep.equal([]);
    expect(fingerprintsNeeded('h2', { phase: 'progressing', hash: 'h2', serving: [{ hash: 'h1' }, {}] } as unknown as RolloutView)).to.deep.equal(['h2', 'h2', 'h1']);
  });

  it('the report: statuses only for cached objects, an Event per rejection unless the object already carries it', () => {
    const rejectedBefore = notProgrammed('BackendNotFound', 'Service default/x not found', 1);
    const statuses = [status('good'), status('known-bad', false), status('new-bad', false), status('deleted')];
    const plan = planReport(
      statuses,
      { kind: 'programmed' },
      new Map(),
      { mappings: [cachedMapping('good'), cachedMapping('known-bad', [{ ...rejectedBefore, type: 'ResolvedRefs' }]), cachedMapping('new-bad')], tlsContexts: [] },
      () => false,
    );
    expect(plan.statusWrites.map((w) => w.computed.ref.name)).to.deep.equal(['good', 'known-bad', 'new-bad']);
    expect(plan.present.map((p) => p.name)).to.deep.equal(['good', 'known-bad', 'new-bad', 'deleted']);
    expect(plan.events.map((e) => `${e.kind} ${e.involved.name}`)).to.deep.equal(['recovered good', 'remember known-bad', 'record new-bad', 'recovered deleted']);
    // A recorder that already has an Event for the object records (its own dedup decides).
    const again = planReport(statuses, { kind: 'programmed' }, new Map(), { mappings: [cachedMapping('known-bad', [{ ...rejectedBefore, type: 'ResolvedRefs' }])], tlsContexts: [] }, () => true);
    expect(again.events[1].kind).to.equal('record');
  });

  it("a refusal replaces the object's own rejection, and per-object outcomes reach each status write", () => {
    const plan = planReport(
      [status('a'), status('b')],
      (key) => (key === 'Mapping/default/a' ? { kind: 'programmed' } : { kind: 'not-programmed', reason: 'Pending', message: 'rolling out' }),
      new Map([['Mapping/default/b', { reason: 'InvalidConfig', message: 'Envoy refused it' }]]),
      { mappings: [cachedMapping('a'), cachedMapping('b')], tlsContexts: [] },
      () => false,
    );
    expect(plan.statusWrites.map((w) => w.outcome.kind)).to.deep.equal(['programmed', 'not-programmed']);
    expect(plan.events[1]).to.deep.include({ kind: 'record', rejection: { reason: 'InvalidConfig', message: 'Envoy refused it' } });
  });

  it('the diagnostics: final conditions and the count of each condition', () => {
    const d = planDiagnostics([status('a'), status('b'), status('c', false)], { kind: 'programmed' });
    expect(d.statuses[0].conditions[2]).to.include({ type: 'Programmed', status: 'True' });
    const counts = Object.fromEntries(d.conditionCounts.map((c) => [`${c.labels.condition}=${c.labels.status}`, c.count]));
    expect(counts).to.deep.equal({ 'Accepted=True': 3, 'ResolvedRefs=True': 2, 'ResolvedRefs=False': 1, 'Programmed=True': 2, 'Programmed=False': 1 });
    expect(planDiagnostics([status('a')], undefined).statuses[0].conditions[2].reason).to.equal('Pending');
  });
});
