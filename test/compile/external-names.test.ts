// ExternalName Services (issue 19 §2, the CVE-2021-25740 class): off by default; when allowed, in-cluster names
// are references that need the target namespace's grant, the API server is never a target, IP literals are read
// as resolvers read them, and everything else is published as an absolute DNS name. Through compileSnapshot.
import { expect } from 'chai';
import type { PorticoReferenceGrant, Service } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import type { CompileOptions } from '../../operator/compile/options.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { grant, mapping } from '../support/objects.js';
import { allRoutes } from '../../operator/compile/ir-queries.js';

const NOW = '2030-01-01T00:00:00Z';
const external = (namespace: string, name: string, externalName: string): Service => ({
  metadata: { name, namespace },
  spec: { type: 'ExternalName', externalName, ports: [{ port: 443 }] },
});

/** One Mapping in `shop` to one ExternalName Service in `shop`: its ResolvedRefs and cluster address. */
function routeTo(
  externalName: string,
  opts: Partial<CompileOptions> = { externalNameServices: 'allow' },
  extra: { services?: Service[]; grants?: PorticoReferenceGrant[] } = {},
) {
  const { ir, statuses } = compileSnapshot(
    {
      mappings: [mapping('shop', 'm', { prefix: '/m/', service: 'alias' })],
      services: [external('shop', 'alias', externalName), ...(extra.services ?? [])],
      referenceGrants: extra.grants ?? [],
      tlsContexts: [],
      secrets: [],
      now: NOW,
    },
    opts,
  );
  expect(validateEnvoyBootstrap(renderEnvoyConfig(ir).bootstrap)).to.deep.equal([]);
  const refs = statuses[0].conditions.find((c) => c.type === 'ResolvedRefs')!;
  return { refs, address: ir.clusters[0]?.address, routes: allRoutes(ir).flatMap((r) => r.members) };
}

describe('ExternalName Services', () => {
  it('are refused by default (RefNotPermitted, 503), and the message says how to allow them', () => {
    const r = routeTo('api.example.com', {});
    expect(r.refs).to.include({ status: 'False', reason: 'RefNotPermitted' });
    expect(r.refs.message).to.include('--external-name-services=allow').and.include('CVE-2021-25740');
    expect(r.address).to.equal(undefined);
    expect(r.routes.map((x) => x.action.kind)).to.deep.equal(['direct']);
  });

  it('when allowed, an external name is published absolute (trailing dot) and its TLS SNI without the dot', () => {
    const r = routeTo('API.Example.COM.');
    expect(r.refs).to.include({ status: 'True' });
    expect(r.address).to.equal('api.example.com.');
    const { ir } = compileSnapshot(
      {
        mappings: [mapping('shop', 'm', { prefix: '/m/', service: 'https://alias' })],
        services: [external('shop', 'alias', 'api.example.com')],
        tlsContexts: [],
        secrets: [],
        now: NOW,
      },
      { externalNameServices: 'allow' },
    );
    const cluster = (renderEnvoyConfig(ir).bootstrap as any).static_resources.clusters.find(
      (c: any) => c.name === 'shop_alias_443_tls',
    );
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address).to.equal(
      'api.example.com.',
    );
    expect(cluster.transport_socket.typed_config.sni).to.equal('api.example.com');
  });

  const hostile: Array<[string, RegExp]> = [
    ['127.1', /loopback address/],
    ['0x7f.0.0.1', /loopback address/],
    ['2130706433', /loopback address/],
    ['017700000001', /loopback address/],
    ['::ffff:127.0.0.1', /loopback address, written as IPv6/],
    ['[::1]', /loopback address/],
    ['0.0.0.0', /unspecified/],
    ['169.254.169.254', /link-local/],
    ['100.100.100.200', /metadata/],
    ['fd00:ec2::254', /metadata/],
    ['localhost', /loopback name/],
    ['admin.localhost.', /loopback name/],
    ['metadata.google.internal', /metadata endpoint/],
    ['1.2.3.4.5', /numeric name/],
    ['kubernetes.default', /Kubernetes API server/],
    ['kubernetes.default.svc', /Kubernetes API server/],
    ['kubernetes.default.svc.cluster.local', /Kubernetes API server/],
    [
      '10-1-2-3.payments.pod.cluster.local',
      /inside the cluster domain cluster\.local that is not <service>\.<namespace>\.svc/,
    ],
    ['cluster.local', /inside the cluster domain/],
    ['a.b.c.d.svc.cluster.local', /not <service>\.<namespace>\.svc/],
  ];
  for (const [name, why] of hostile) {
    it(`never routes to ${name} (${why.source})`, () => {
      const r = routeTo(name);
      expect(r.refs).to.include({ status: 'False', reason: 'RefNotPermitted' });
      expect(r.refs.message)
        .to.match(/^spec\.service: Service shop\/alias is an ExternalName for /)
        .and.match(why);
      expect(r.address).to.equal(undefined);
    });
  }

  it('the API server by its ClusterIP, written any way a resolver reads it, is never a target', () => {
    const apiServer: Service = {
      metadata: { name: 'kubernetes', namespace: 'default' },
      spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] },
    };
    for (const name of ['10.96.0.1', '10.96.1', '0xa.0x60.0.1', '174063617']) {
      const r = routeTo(name, { externalNameServices: 'allow' }, { services: [apiServer] });
      expect(r.refs.message, name).to.match(/Kubernetes API server/);
    }
  });

  it('an in-cluster name is a reference to that namespace: refused without its grant, served with it', () => {
    for (const name of [
      'billing.payments.svc.cluster.local',
      'billing.payments.svc',
      'BILLING.payments.svc.cluster.local.',
      'pod-0.billing.payments.svc.cluster.local',
    ]) {
      const denied = routeTo(name);
      expect(denied.refs, name).to.include({ status: 'False', reason: 'RefNotPermitted' });
      expect(denied.refs.message)
        .to.include('Service payments/billing in another namespace')
        .and.include('PorticoReferenceGrant in namespace payments');
      const granted = routeTo(
        name,
        { externalNameServices: 'allow' },
        {
          grants: [grant('payments', [{ kind: 'Mapping', namespace: 'shop' }], [{ kind: 'Service', name: 'billing' }])],
        },
      );
      expect(granted.refs, name).to.include({ status: 'True' });
      expect(granted.address).to.match(/\.payments\.svc\.cluster\.local\.$/);
    }
    // Another Service's ClusterIP is that Service.
    const billing: Service = {
      metadata: { name: 'billing', namespace: 'payments' },
      spec: { clusterIP: '10.96.7.7', ports: [{ port: 80 }] },
    };
    expect(routeTo('10.96.7.7', { externalNameServices: 'allow' }, { services: [billing] }).refs.message).to.include(
      'Service payments/billing in another namespace',
    );
    // Its own namespace needs no grant.
    expect(routeTo('web.shop.svc.cluster.local').refs).to.include({ status: 'True' });
  });

  it('uses the cluster domain it is given', () => {
    const opts: Partial<CompileOptions> = { externalNameServices: 'allow', clusterDomain: 'corp.internal' };
    expect(routeTo('billing.payments.svc.corp.internal', opts).refs.message).to.include(
      'Service payments/billing in another namespace',
    );
    expect(routeTo('x.corp.internal', opts).refs.message).to.include('inside the cluster domain corp.internal');
    expect(routeTo('billing.payments.svc', opts).address).to.equal(undefined);
    // cluster.local is an ordinary (external) name in a cluster whose domain is corp.internal.
    expect(routeTo('billing.payments.svc.cluster.local', opts).address).to.equal('billing.payments.svc.cluster.local.');
  });
});

describe('spec.service naming an external host', () => {
  it('example.com:443 is read as Service example in namespace com; the message says how external hosts are reached', () => {
    for (const opts of [{}, { externalNameServices: 'allow' as const }]) {
      const { statuses } = compileSnapshot(
        {
          mappings: [mapping('default', 'ext', { prefix: '/ext/', service: 'example.com:443' })],
          services: [],
          tlsContexts: [],
          secrets: [],
          now: NOW,
        },
        opts,
      );
      const refs = statuses[0].conditions.find((c) => c.type === 'ResolvedRefs')!;
      expect(refs.message)
        .to.include('Service com/example')
        .and.include('ExternalName Service')
        .and.include('externalName: example.com');
      if (!opts.externalNameServices) expect(refs.message).to.include('--external-name-services=allow');
      else expect(refs.message).not.to.include('--external-name-services');
    }
    const { statuses } = compileSnapshot({
      mappings: [mapping('default', 'ext', { prefix: '/ext/', service: 'https://api.example.com' })],
      services: [],
      tlsContexts: [],
      secrets: [],
      now: NOW,
    });
    expect(statuses[0].conditions[0].message).to.match(
      /^spec\.service: .*expected name or name\.namespace.*ExternalName Service/,
    );
  });
});
