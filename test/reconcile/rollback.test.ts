// Who chose the Deployment's config: the managed fields after `kubectl rollout undo` (as kube-apiserver 1.36
// records them on the real test world) against those after our own server-side apply.
import { expect } from 'chai';
import { foreignHashOwners } from '../../operator/reconcile/rollback.js';
import { labelSelectorQuery } from '../../operator/kube/label-selector.js';

const hashField = {
  'f:spec': { 'f:template': { 'f:metadata': { 'f:annotations': { 'f:portico.dev/config-hash': {} } } } },
};
const volumesOnly = { 'f:spec': { 'f:template': { 'f:spec': { 'f:volumes': {} } } } };
const status = { 'f:status': { 'f:replicas': {} } };
const withFields = (...entries: Array<[string, string, object, string?]>) => ({
  metadata: {
    managedFields: entries.map(([manager, operation, fieldsV1, subresource]) => ({
      manager,
      operation,
      fieldsV1,
      ...(subresource ? { subresource } : {}),
    })),
  },
});

describe('reconcile: a rollback someone chose', () => {
  it('nobody else owns the config hash after our apply', () => {
    const d = withFields(
      ['kubectl', 'Apply', { 'f:spec': { 'f:replicas': {} } }],
      ['portico', 'Apply', hashField],
      ['kube-controller-manager', 'Update', status, 'status'],
    );
    expect(foreignHashOwners(d, 'portico')).to.deep.equal([]);
  });

  it('kubectl owns it after rollout undo (an Update that changed it)', () => {
    const d = withFields(
      ['kubectl', 'Apply', {}],
      ['portico', 'Apply', volumesOnly],
      ['kube-controller-manager', 'Update', status, 'status'],
      ['kubectl', 'Update', hashField],
    );
    expect(foreignHashOwners(d, 'portico')).to.deep.equal(['kubectl']);
  });

  it('a shared ownership that includes ours is ours', () => {
    expect(
      foreignHashOwners(withFields(['portico', 'Apply', hashField], ['kubectl-edit', 'Update', hashField]), 'portico'),
    ).to.deep.equal([]);
  });

  it('without managed fields (or without a Deployment) nothing says someone else chose', () => {
    expect(foreignHashOwners({ metadata: {} }, 'portico')).to.deep.equal([]);
    expect(foreignHashOwners(undefined, 'portico')).to.deep.equal([]);
  });
});

describe('kube: a Deployment selector as a label selector query', () => {
  it('joins matchLabels (sorted) and matchExpressions as the API server parses them', () => {
    expect(
      labelSelectorQuery({
        matchLabels: { 'app.kubernetes.io/name': 'portico', 'app.kubernetes.io/component': 'envoy' },
      }),
    ).to.equal('app.kubernetes.io/component=envoy,app.kubernetes.io/name=portico');
    expect(
      labelSelectorQuery({
        matchLabels: { a: 'b' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['web', 'edge'] },
          { key: 'x', operator: 'NotIn', values: ['y'] },
          { key: 'has', operator: 'Exists' },
          { key: 'not', operator: 'DoesNotExist' },
        ],
      }),
    ).to.equal('a=b,tier in (edge,web),x notin (y),has,!not');
  });

  it('has no query for an empty selector or an unknown operator', () => {
    expect(labelSelectorQuery({})).to.equal(undefined);
    expect(labelSelectorQuery(undefined)).to.equal(undefined);
    expect(labelSelectorQuery({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).to.equal(undefined);
  });
});
