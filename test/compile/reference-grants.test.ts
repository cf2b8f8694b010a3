// PorticoReferenceGrant: cross-namespace Service and Secret references are denied (RefNotPermitted) unless a
// grant in the target namespace allows them. Checked through indexReferenceGrants and through compileSnapshot.
import { expect } from 'chai';
import type { PorticoReferenceGrant } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { indexReferenceGrants } from '../../operator/compile/reference-grants.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { grant, mapping, service } from '../support/objects.js';
import { allRoutes } from '../../operator/compile/ir-queries.js';

describe('indexReferenceGrants', () => {
  const index = indexReferenceGrants([
    grant('payments', [{ kind: 'Mapping', namespace: 'shop' }], [{ kind: 'Service', name: 'billing' }]),
    grant(
      'certs',
      [
        { kind: 'TLSContext', namespace: 'shop' },
        { kind: 'TLSContext', namespace: 'blog' },
      ],
      [{ kind: 'Secret' }],
    ),
    // A grant in the referrer's own namespace allows nothing elsewhere.
    grant('shop', [{ kind: 'Mapping', namespace: 'shop' }], [{ kind: 'Service', name: 'ledger' }]),
    // Schema-invalid grants (wildcard namespace, unknown kind) grant nothing.
    grant('payments', [{ kind: 'Mapping', namespace: '*' }], [{ kind: 'Service' }], 'wildcard'),
    grant('payments', [{ kind: 'Ingress' as 'Mapping', namespace: 'blog' }], [{ kind: 'Service' }], 'bad-kind'),
  ]);
  const cases: Array<[string, Parameters<typeof index.permits>, boolean]> = [
    ['same namespace needs no grant', ['Mapping', 'shop', 'Service', 'shop', 'web'], true],
    ['the named Service', ['Mapping', 'shop', 'Service', 'payments', 'billing'], true],
    ['another Service in that namespace', ['Mapping', 'shop', 'Service', 'payments', 'ledger'], false],
    ['another referring namespace', ['Mapping', 'blog', 'Service', 'payments', 'billing'], false],
    ['another referring kind', ['TLSContext', 'shop', 'Service', 'payments', 'billing'], false],
    ['a Secret of the same name', ['Mapping', 'shop', 'Secret', 'payments', 'billing'], false],
    ['every Secret when to.name is omitted', ['TLSContext', 'blog', 'Secret', 'certs', 'anything'], true],
    ['but not for Mappings', ['Mapping', 'blog', 'Service', 'certs', 'anything'], false],
    ['a self-grant in the referrer namespace', ['Mapping', 'shop', 'Service', 'payments', 'ledger'], false],
    ['a wildcard namespace is refused by the schema', ['Mapping', 'anywhere', 'Service', 'payments', 'x'], false],
  ];
  for (const [what, args, want] of cases)
    it(`${want ? 'allows' : 'denies'}: ${what}`, () => expect(index.permits(...args)).to.equal(want));

  it('Host grants pass the schema with exact or wildcard names, and never open Services or Secrets', () => {
    const hosts = indexReferenceGrants([
      grant('owner', [{ kind: 'Mapping', namespace: 'shop' }], [{ kind: 'Host', name: '*.example.com' }]),
      grant(
        'owner',
        [{ kind: 'Mapping', namespace: 'shop' }],
        [{ kind: 'Service', name: '*.example.com' }],
        'wild-service',
      ),
    ]);
    expect(hosts.permitsHost('Mapping', 'shop', 'owner', 'api.example.com')).to.equal(true);
    expect(hosts.permitsHost('Mapping', 'shop', 'owner', 'example.com')).to.equal(false);
    expect(hosts.permitsHost('TLSContext', 'shop', 'owner', 'api.example.com')).to.equal(false);
    expect(hosts.hostGrantees('Mapping', 'owner', 'api.example.com')).to.deep.equal(['shop']);
    expect(hosts.permits('Mapping', 'shop', 'Service', 'owner', 'anything')).to.equal(false);
    expect(hosts.permits('Mapping', 'shop', 'Service', 'owner', 'api')).to.equal(false); // a "*." Service name matches nothing
  });

  it('tolerates junk in the list', () => {
    const junk = [
      null,
      3,
      'x',
      {},
      { spec: null },
      { metadata: { name: 'g', namespace: 'a' }, spec: { from: [], to: [] } },
    ] as unknown as PorticoReferenceGrant[];
    expect(indexReferenceGrants(junk).permits('Mapping', 'b', 'Service', 'a', 's')).to.equal(false);
    expect(indexReferenceGrants(undefined).permits('Mapping', 'a', 'Service', 'a', 's')).to.equal(true);
  });
});

describe('compileSnapshot: cross-namespace references', () => {
  const now = '2030-01-01T00:00:00Z';
  const services = [service('payments', 'billing'), service('shop', 'web')];
  const mappings = [
    mapping('shop', 'billing', { prefix: '/billing/', service: 'billing.payments' }),
    mapping('shop', 'web', { prefix: '/', service: 'web' }),
    mapping('shop', 'ghost', { prefix: '/ghost/', service: 'ghost.payments' }),
  ];
  const conditionOf = (r: ReturnType<typeof compileSnapshot>, name: string) =>
    r.statuses.find((s) => s.ref.name === name)!.conditions.find((c) => c.type === 'ResolvedRefs')!;

  it('denies without a grant: RefNotPermitted naming the field and the missing grant, and the route answers 503', () => {
    const r = compileSnapshot({ mappings, tlsContexts: [], services, secrets: [], now });
    const c = conditionOf(r, 'billing');
    expect(c).to.include({ status: 'False', reason: 'RefNotPermitted' });
    expect(c.message)
      .to.match(/^spec\.service: Service payments\/billing is in another namespace/)
      .and.include('no PorticoReferenceGrant in namespace payments');
    const routes = allRoutes(r.ir).flatMap((x) => x.members);
    const billing = routes.find((x) => x.name === 'shop/billing')!;
    expect(billing.action).to.include({ kind: 'direct', status: 503 });
    expect(routes.findIndex((x) => x.name === 'shop/billing')).to.be.lessThan(
      routes.findIndex((x) => x.name === 'shop/web'),
    );
    expect(r.ir.clusters.map((x) => x.name)).to.deep.equal(['shop_web_80']);
  });

  it('reveals nothing about the target: the denial is the same whether the Service exists or not', () => {
    const r = compileSnapshot({ mappings, tlsContexts: [], services, secrets: [], now });
    const strip = (m: string) => m.replace(/billing|ghost/g, 'X');
    expect(strip(conditionOf(r, 'billing').message)).to.equal(strip(conditionOf(r, 'ghost').message));
    expect(conditionOf(r, 'ghost').reason).to.equal('RefNotPermitted');
  });

  it('allows with a grant in the target namespace, and the cluster is rendered', () => {
    const referenceGrants = [grant('payments', [{ kind: 'Mapping', namespace: 'shop' }], [{ kind: 'Service' }])];
    const r = compileSnapshot({ mappings, tlsContexts: [], services, secrets: [], referenceGrants, now });
    expect(conditionOf(r, 'billing')).to.include({ status: 'True' });
    expect(conditionOf(r, 'ghost')).to.include({ status: 'False', reason: 'BackendNotFound' });
    expect(renderEnvoyConfig(r.ir).json).to.include('billing.payments.svc.cluster.local');
  });

  it('the outcome does not depend on grant order', () => {
    const referenceGrants = [
      grant('payments', [{ kind: 'Mapping', namespace: 'shop' }], [{ kind: 'Service', name: 'billing' }], 'a'),
      grant('payments', [{ kind: 'Mapping', namespace: 'blog' }], [{ kind: 'Service' }], 'b'),
    ];
    const a = renderEnvoyConfig(
      compileSnapshot({ mappings, tlsContexts: [], services, secrets: [], referenceGrants, now }).ir,
    ).json;
    const b = renderEnvoyConfig(
      compileSnapshot({
        mappings,
        tlsContexts: [],
        services,
        secrets: [],
        referenceGrants: [...referenceGrants].reverse(),
        now,
      }).ir,
    ).json;
    expect(a).to.equal(b);
  });

  it("denies a TLSContext another namespace's Secret without reading it (no notAfter, no certificate files)", () => {
    const tlsContexts = [
      {
        apiVersion: 'portico.dev/v1alpha1' as const,
        kind: 'TLSContext' as const,
        metadata: { name: 't', namespace: 'shop' },
        spec: { secret: 'wild.certs', hosts: ['shop.test'] },
      },
    ];
    const secrets = [
      {
        metadata: { name: 'wild', namespace: 'certs' },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': 'AAAA', 'tls.key': 'AAAA' },
      },
    ];
    const r = compileSnapshot({ mappings: [], tlsContexts, services: [], secrets, now });
    const s = r.statuses.find((x) => x.ref.kind === 'TLSContext')!;
    expect(s.inConfig).to.equal(false);
    expect(s.extra).to.equal(undefined);
    expect(s.conditions.find((c) => c.type === 'ResolvedRefs')).to.include({
      status: 'False',
      reason: 'RefNotPermitted',
    });
    expect(s.conditions.find((c) => c.type === 'ResolvedRefs')!.message).to.match(
      /^spec\.secret: Secret certs\/wild is in another namespace/,
    );
    expect(r.ir.tls.files).to.deep.equal({});
  });
});
