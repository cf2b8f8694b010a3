import { expect } from 'chai';
import type { Service } from '../../operator/api/types.js';
import { resolveBackend, type BackendContext } from '../../operator/compile/backend.js';
import { indexReferenceGrants } from '../../operator/compile/reference-grants.js';
import { parseServiceRef } from '../../operator/api/service-ref.js';

const svc = (name: string, ns: string, spec: Service['spec']): [string, Service] => [
  `${ns}/${name}`,
  { metadata: { name, namespace: ns }, spec },
];
const services = new Map<string, Service>([
  svc('one', 'default', { ports: [{ port: 8080 }] }),
  svc('two', 'default', {
    ports: [
      { name: 'http', port: 80 },
      { name: 'admin', port: 9000 },
    ],
  }),
  svc('none', 'default', { ports: [] }),
  svc('ext', 'default', { type: 'ExternalName', externalName: 'api.example.org' }),
  svc('one', 'other', { ports: [{ port: 81 }] }),
]);

const allowExternal: BackendContext = {
  policy: 'allow',
  clusterDomain: 'cluster.local',
  grants: indexReferenceGrants([]),
  clusterIps: new Map(),
  mappingNamespace: 'default',
};

function resolve(service: string, ctx: BackendContext = allowExternal) {
  const ref = parseServiceRef(service, 'default', ctx.clusterDomain);
  if (!ref.ok) throw new Error(ref.message);
  return resolveBackend(ref.value, services, ctx);
}

describe('resolveBackend', () => {
  const ok: Array<[string, string, string, number, boolean]> = [
    ['one', 'default_one_8080', 'one.default.svc.cluster.local', 8080, false],
    ['one:8080', 'default_one_8080', 'one.default.svc.cluster.local', 8080, false],
    ['one.other', 'other_one_81', 'one.other.svc.cluster.local', 81, false],
    ['two:admin', 'default_two_9000', 'two.default.svc.cluster.local', 9000, false],
    ['two:80', 'default_two_80', 'two.default.svc.cluster.local', 80, false],
    ['https://two:http', 'default_two_80_tls', 'two.default.svc.cluster.local', 80, true],
    // ExternalName targets are absolute names, so the pod's resolv.conf search domains never apply.
    ['https://ext', 'default_ext_443_tls', 'api.example.org.', 443, true],
    ['ext:8443', 'default_ext_8443', 'api.example.org.', 8443, false],
  ];
  for (const [service, name, address, port, tls] of ok) {
    it(`${service} → ${name}`, () => {
      expect(resolve(service)).to.deep.equal({ ok: true, cluster: { name, address, port, upstreamTls: tls } });
    });
  }

  it('builds Service addresses from the cluster domain it is given', () => {
    expect(resolve('one.other', { ...allowExternal, clusterDomain: 'corp.internal' })).to.deep.include({ ok: true });
    const r = resolve('one.other', { ...allowExternal, clusterDomain: 'corp.internal' });
    if (r.ok) expect(r.cluster.address).to.equal('one.other.svc.corp.internal');
  });

  it('refuses ExternalName Services unless the policy allows them, saying how to allow them', () => {
    const r = resolve('ext:8443', { ...allowExternal, policy: 'deny' });
    expect(r).to.include({ ok: false, reason: 'RefNotPermitted' });
    if (!r.ok)
      expect(r.message).to.match(
        /^Service default\/ext is an ExternalName Service, and this gateway does not route to ExternalName Services .*--external-name-services=allow/,
      );
  });

  const bad: Array<[string, string, RegExp]> = [
    ['missing', 'BackendNotFound', /Service default\/missing not found/],
    ['one.nowhere', 'BackendNotFound', /Service nowhere\/one not found/],
    ['two', 'InvalidPort', /has 2 ports \(80\/http, 9000\/admin\); name one/],
    ['two:grpc', 'InvalidPort', /no port named "grpc"/],
    ['one:9999', 'InvalidPort', /no port 9999/],
    ['none', 'InvalidPort', /declares no ports/],
  ];
  for (const [service, reason, message] of bad) {
    it(`${service} → ${reason}`, () => {
      const r = resolve(service);
      expect(r.ok).to.equal(false);
      if (!r.ok) {
        expect(r.reason).to.equal(reason);
        expect(r.message).to.match(message);
      }
    });
  }
});
