// compileSnapshot contract details not visible in the golden files.
import { expect } from 'chai';
import type { Mapping } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { service } from '../support/objects.js';
import { tlsChains } from '../../operator/compile/ir-queries.js';

const m = (name: string, spec: Mapping['spec'], meta: Partial<Mapping['metadata']> = {}): Mapping => ({
  apiVersion: 'portico.dev/v1alpha1',
  kind: 'Mapping',
  metadata: { name, ...meta },
  spec,
});
const NOW = '2030-01-01T00:00:00Z';

describe('compileSnapshot', () => {
  it('defaults the namespace, resolves the Service in the Mapping namespace, sorts statuses by kind/namespace/name', () => {
    const { statuses, ir } = compileSnapshot({
      mappings: [
        m('z', { prefix: '/z/', service: 's' }, { namespace: 'team' }),
        m('a', { prefix: '/a/', service: 's' }),
      ],
      services: [service('default', 's'), service('team', 's')],
      tlsContexts: [],
      secrets: [],
      now: NOW,
    });
    expect(statuses.map((s) => `${s.ref.kind}/${s.ref.namespace}/${s.ref.name}`)).to.deep.equal([
      'Mapping/default/a',
      'Mapping/team/z',
    ]);
    expect(ir.clusters.map((c) => c.address)).to.deep.equal([
      's.default.svc.cluster.local',
      's.team.svc.cluster.local',
    ]);
  });

  it('copies metadata.generation into observedGeneration of every condition, and uid into the ref', () => {
    const { statuses } = compileSnapshot({
      mappings: [
        m('a', { prefix: '/a/', service: 's' }, { generation: 7, uid: 'u-1' }),
        m('b', { prefix: 'bad', service: 's' }, { generation: 3 }),
      ],
      services: [service('default', 's')],
      tlsContexts: [],
      secrets: [],
      now: NOW,
    });
    expect(statuses[0].ref).to.deep.equal({
      kind: 'Mapping',
      namespace: 'default',
      name: 'a',
      uid: 'u-1',
      generation: 7,
    });
    expect(statuses[0].conditions.map((c) => [c.type, c.status, c.reason, c.observedGeneration])).to.deep.equal([
      ['Accepted', 'True', 'Accepted', 7],
      ['ResolvedRefs', 'True', 'ResolvedRefs', 7],
      ['Programmed', 'False', 'Pending', 7],
    ]);
    expect(statuses[1].conditions.map((c) => [c.type, c.status, c.reason, c.observedGeneration])).to.deep.equal([
      ['Accepted', 'False', 'Invalid', 3],
      ['ResolvedRefs', 'Unknown', 'Invalid', 3],
      ['Programmed', 'False', 'Invalid', 3],
    ]);
    expect(statuses[1].inConfig).to.equal(false);
  });

  it('duplicate objects (same namespace/name) give one status and an order-independent pick', () => {
    const one = m('a', { prefix: '/one/', service: 's' });
    const two = m('a', { prefix: '/two/', service: 's' });
    const run = (mappings: Mapping[]) =>
      compileSnapshot({ mappings, services: [service('default', 's')], tlsContexts: [], secrets: [], now: NOW });
    const ab = run([one, two]);
    const ba = run([two, one]);
    expect(ab.statuses).to.have.length(1);
    expect(JSON.stringify(ab)).to.equal(JSON.stringify(ba));
  });

  it('an empty snapshot still yields the cleartext listener and no TLS', () => {
    const { ir, statuses } = compileSnapshot({ mappings: [], services: [], tlsContexts: [], secrets: [], now: NOW });
    expect(statuses).to.deep.equal([]);
    expect(ir.listeners).to.deep.equal([
      {
        name: 'http',
        filterChains: [{ name: 'http', serverNames: [], routes: [], redirectToHttps: [], hostNames: [] }],
      },
    ]);
    expect(tlsChains(ir)).to.deep.equal([]);
  });
});
