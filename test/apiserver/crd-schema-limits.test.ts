// Through a real API server (the embedded one, with crds/*.yaml installed) and the real kubectl: the schema
// limits refuse hostile Mappings with a 422 naming the field, TLS 1.0 is refused, and PorticoReferenceGrant
// is served (apply, `kubectl get prg` with its printer columns, a wildcard namespace refused).
import { expect } from 'chai';
import { startTestCluster, type TestCluster } from '../support/test-cluster.js';

const mapping = (name: string, spec: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'Mapping',
    metadata: { name, namespace: 'default' },
    spec,
  });

describe('security: schema limits at the API server (embedded server + kubectl)', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ crds: true });
  });
  after(async () => cluster?.stop());

  const refused: Array<[string, string, string]> = [
    ['a 100 KB prefix', mapping('huge', { prefix: `/${'a'.repeat(100_000)}`, service: 'web' }), 'spec.prefix'],
    ['a control character in the prefix', mapping('ctl', { prefix: '/a\u0001b', service: 'web' }), 'spec.prefix'],
    [
      'a wildcard in the middle of the host',
      mapping('wild', { prefix: '/', service: 'web', host: 'a.*.example.com' }),
      'spec.host',
    ],
    ['a 100 KB service', mapping('svc', { prefix: '/', service: 'w'.repeat(100_000) }), 'spec.service'],
    [
      'TLS 1.0',
      JSON.stringify({
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'TLSContext',
        metadata: { name: 't', namespace: 'default' },
        spec: { secret: 's', minTlsVersion: 'v1.0' },
      }),
      'spec.minTlsVersion',
    ],
    [
      'a grant from every namespace',
      JSON.stringify({
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'PorticoReferenceGrant',
        metadata: { name: 'g', namespace: 'default' },
        spec: { from: [{ kind: 'Mapping', namespace: '*' }], to: [{ kind: 'Service' }] },
      }),
      'spec.from[0].namespace',
    ],
  ];
  for (const [what, body, field] of refused) {
    it(`refuses ${what} (422, naming ${field})`, async () => {
      const r = await cluster.kubectl(['apply', '-f', '-'], { stdin: body });
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.include('is invalid').and.include(field);
      expect(r.stderr.length, 'the error does not echo a 100 KB value').to.be.lessThan(5000);
    });
  }

  it('serves PorticoReferenceGrant: apply, get by short name with From/To columns', async () => {
    const grant = {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'PorticoReferenceGrant',
      metadata: { name: 'shop-may-bill', namespace: 'default' },
      spec: { from: [{ kind: 'Mapping', namespace: 'shop' }], to: [{ kind: 'Service', name: 'billing' }] },
    };
    const applied = await cluster.kubectl(['apply', '-f', '-'], { stdin: JSON.stringify(grant) });
    expect(applied.code, applied.stderr).to.equal(0);
    const got = await cluster.kubectl(['get', 'prg', '-n', 'default']);
    expect(got.code, got.stderr).to.equal(0);
    expect(got.stdout)
      .to.match(/NAME\s+FROM\s+TO\s+AGE/)
      .and.match(/shop-may-bill\s+shop\s+Service/);
  });
});
