// Programmed in xds delivery, as a rollout view: complete once every connected Envoy serves the latest config,
// failed/InvalidConfig with Envoy's message on a NACK, progressing otherwise (nothing connected included).
import { expect } from 'chai';
import { xdsProgress } from '../../operator/reconcile/xds-progress.js';
import { programmedOutcomes } from '../../operator/reconcile/programmed.js';

describe('reconcile: xds delivery progress', () => {
  it('is complete only when every connected Envoy serves the latest config', () => {
    expect(
      xdsProgress('h2', 'h2', [
        { node: 'a', serving: 'h2', nacks: [] },
        { node: 'b', serving: 'h2', nacks: [] },
      ]).phase,
    ).to.equal('complete');
    const half = xdsProgress('h2', 'h2', [
      { node: 'a', serving: 'h2', nacks: [] },
      { node: 'b', serving: 'h1', nacks: [] },
    ]);
    expect(half.phase).to.equal('progressing');
    expect(half.message).to.equal('configuration h2 is sent: 1 of 2 connected Envoys serve it');
    expect(half.serving).to.deep.equal([
      { hash: 'h2', pods: 1 },
      { hash: 'h1', pods: 1 },
    ]);
  });

  it('is not complete with no Envoy connected', () => {
    const v = xdsProgress('h1', 'h1', []);
    expect(v.phase).to.equal('progressing');
    expect(v.message).to.include('no Envoy is connected');
    expect(
      programmedOutcomes({ latest: 'h1', rollout: v, fingerprints: () => new Map([['Mapping/d/a', 'x']]) })(
        'Mapping/d/a',
      ),
    ).to.deep.include({ kind: 'not-programmed', reason: 'Pending' });
  });

  it('fails with InvalidConfig and Envoy’s message on a NACK of the latest; objects the served config serves as written stay Programmed', () => {
    const v = xdsProgress('h2', 'h2', [
      { node: 'envoy-1', serving: 'h1', nacks: [{ typeUrl: 't', version: 'v', message: 'cannot bind' }] },
    ]);
    expect(v.phase).to.equal('failed');
    expect(v.failure).to.deep.equal({
      reason: 'InvalidConfig',
      message: 'Envoy envoy-1 refused configuration h2: cannot bind; it keeps serving configuration h1',
    });
    const prints = new Map([
      [
        'h1',
        new Map([
          ['Mapping/d/same', '1'],
          ['Mapping/d/changed', '1'],
        ]),
      ],
      [
        'h2',
        new Map([
          ['Mapping/d/same', '1'],
          ['Mapping/d/changed', '2'],
        ]),
      ],
    ]);
    const outcome = programmedOutcomes({ latest: 'h2', rollout: v, fingerprints: (h) => prints.get(h) });
    expect(outcome('Mapping/d/same')).to.deep.equal({ kind: 'programmed' });
    expect(outcome('Mapping/d/changed')).to.deep.include({ kind: 'not-programmed', reason: 'InvalidConfig' });
  });

  it('does not blame the latest config for a NACK while the server still serves an older one', () => {
    expect(
      xdsProgress('h3', 'h2', [{ node: 'a', serving: 'h1', nacks: [{ typeUrl: 't', version: 'v', message: 'x' }] }])
        .phase,
    ).to.equal('progressing');
  });
});
