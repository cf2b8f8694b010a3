import { expect } from 'chai';
import {
  desiredStatus,
  statusDiffers,
  isStale,
  finalConditions,
  rejectionOf,
} from '../../operator/reconcile/status.js';
import type { ObjectStatus } from '../../operator/compile/types.js';
import {
  accepted,
  refsResolved,
  programmedPending,
  refsNotResolved,
  notProgrammed,
} from '../../operator/api/conditions.js';

const ref = { kind: 'Mapping' as const, namespace: 'default', name: 'user', generation: 2 };
const inConfig: ObjectStatus = {
  ref,
  inConfig: true,
  conditions: [accepted(2), refsResolved(2), programmedPending(2)],
};
const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:05:00Z';

describe('operator: status computation', () => {
  it('flips Programmed to True only for in-config objects once published', () => {
    const c = finalConditions(inConfig, { kind: 'programmed' });
    expect(c.map((x) => `${x.type}=${x.status}/${x.reason}`)).to.deep.equal([
      'Accepted=True/Accepted',
      'ResolvedRefs=True/ResolvedRefs',
      'Programmed=True/Programmed',
    ]);
    const rejected: ObjectStatus = {
      ref,
      inConfig: false,
      conditions: [
        accepted(2),
        refsNotResolved('BackendNotFound', 'no svc', 2),
        notProgrammed('BackendNotFound', 'no svc', 2),
      ],
    };
    expect(finalConditions(rejected, { kind: 'programmed' })[2].status).to.equal('False');
    expect(
      finalConditions(inConfig, { kind: 'not-programmed', reason: 'Invalid', message: 'bad config' })[2],
    ).to.include({ status: 'False', reason: 'Invalid' });
    // in the config only as a 503 placeholder: not Programmed, with the failing condition's reason
    const placeholder: ObjectStatus = {
      ref,
      inConfig: true,
      conditions: [
        accepted(2),
        refsNotResolved('BackendNotFound', 'Service default/x not found', 2),
        programmedPending(2),
      ],
    };
    expect(finalConditions(placeholder, { kind: 'programmed' })[2]).to.include({
      status: 'False',
      reason: 'BackendNotFound',
    });
  });

  it('keeps lastTransitionTime when a condition keeps its status, and then reports no difference', () => {
    const first = desiredStatus(undefined, inConfig, { kind: 'programmed' }, T0);
    expect(first.observedGeneration).to.equal(2);
    expect(first.conditions!.every((c) => c.lastTransitionTime === T0)).to.equal(true);
    const again = desiredStatus(first, inConfig, { kind: 'programmed' }, T1);
    expect(again.conditions!.every((c) => c.lastTransitionTime === T0)).to.equal(true);
    expect(statusDiffers(first, again)).to.equal(false);
  });

  it('moves lastTransitionTime only for the condition that flipped, and sees the change', () => {
    const first = desiredStatus(undefined, inConfig, { kind: 'programmed' }, T0);
    const pending = desiredStatus(
      first,
      inConfig,
      { kind: 'not-programmed', reason: 'Pending', message: 'no Deployment' },
      T1,
    );
    expect(pending.conditions!.map((c) => c.lastTransitionTime)).to.deep.equal([T0, T0, T1]);
    expect(statusDiffers(first, pending)).to.equal(true);
  });

  it('ignores lastTransitionTime and key order when comparing, but not a message change', () => {
    const a = desiredStatus(undefined, inConfig, { kind: 'programmed' }, T0);
    const b = JSON.parse(
      JSON.stringify({
        conditions: a.conditions!.map((c) => ({ ...c, lastTransitionTime: T1 })),
        observedGeneration: 2,
      }),
    );
    expect(statusDiffers(a, b)).to.equal(false);
    b.conditions[0].message = 'different';
    expect(statusDiffers(a, b)).to.equal(true);
  });

  it('keeps conditions owned by others and extra fields such as notAfter', () => {
    const current = {
      conditions: [
        { type: 'example.com/Audited', status: 'True', reason: 'Audited', message: '', lastTransitionTime: T0 },
      ],
    } as never;
    const tls: ObjectStatus = {
      ...inConfig,
      ref: { ...ref, kind: 'TLSContext' },
      extra: { notAfter: '2030-01-01T00:00:00Z' },
    };
    const s = desiredStatus(current, tls, { kind: 'programmed' }, T1);
    expect(s.notAfter).to.equal('2030-01-01T00:00:00Z');
    expect(s.conditions!.map((c) => c.type)).to.deep.equal([
      'Accepted',
      'ResolvedRefs',
      'Programmed',
      'example.com/Audited',
    ]);
  });

  it('treats a newer observedGeneration on the object as a stale cache', () => {
    const s = desiredStatus(undefined, inConfig, { kind: 'programmed' }, T0);
    expect(isStale({ observedGeneration: 3 }, s)).to.equal(true);
    expect(isStale({ observedGeneration: 2 }, s)).to.equal(false);
    expect(isStale(undefined, s)).to.equal(false);
  });

  it('reports the first failed condition as the Event, or else the compiler warnings of a served object as one Warning', () => {
    const failed: ObjectStatus = {
      ref,
      inConfig: true,
      conditions: [accepted(2), refsNotResolved('BackendNotFound', 'no svc', 2), programmedPending(2)],
      warnings: [{ reason: 'X', message: 'ignored' }],
    };
    expect(rejectionOf(failed)).to.include({ reason: 'BackendNotFound', message: 'no svc' });
    expect(rejectionOf(inConfig)).to.equal(undefined);
    const warned: ObjectStatus = {
      ...inConfig,
      ref: { ...ref, kind: 'TLSContext' },
      warnings: [
        { reason: 'Conflicted', message: 'spec.hosts[0]: host b.test is already served by TLSContext default/old' },
        { reason: 'HostNotInCertificate', message: 'spec.hosts[2]: host x.test is not covered' },
      ],
    };
    expect(rejectionOf(warned)).to.deep.equal({
      reason: 'Conflicted',
      message:
        'spec.hosts[0]: host b.test is already served by TLSContext default/old; spec.hosts[2]: host x.test is not covered',
    });
  });
});
