// The published config made loadable on a laptop (operator/devenvoy/local-bootstrap.ts): listeners, admin,
// certificate paths and cluster addresses change, and nothing else does.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readManifests } from '../../operator/cli/manifest-files.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import {
  localBootstrap,
  upstreamTargets,
  type LocalBootstrapOptions,
} from '../../operator/devenvoy/local-bootstrap.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
type Json = Record<string, any>;

function examplesBootstrap(): Json {
  const files = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(EXAMPLES, f));
  return renderEnvoyConfig(compileSnapshot({ ...readManifests(files), now: new Date().toISOString() }).ir)
    .bootstrap as Json;
}

/** Every leaf path at which a and b differ ("a.b[2].c"). */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (a === b) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      differences((a as Json)[k], (b as Json)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k),
    );
  }
  return [path];
}

const clusters = (b: Json): Json[] => b.static_resources.clusters;
const listener = (b: Json, name: string): Json => b.static_resources.listeners.find((l: Json) => l.name === name);
const endpoint = (b: Json, cluster: string): Json =>
  clusters(b).find((c) => c.name === cluster)!.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address
    .socket_address;

describe('devenvoy: the published bootstrap made local', () => {
  const published = examplesBootstrap();
  const targets = upstreamTargets(published);
  const opts: LocalBootstrapOptions = {
    host: '127.0.0.1',
    httpPort: 18080,
    httpsPort: 18443,
    readinessPort: 18002,
    adminPort: 19901,
    certsDir: '/home/dev/project/.portico/envoy/epoch-3-portico-envoy-abc/certs',
    upstreams: new Map(),
    echoPorts: new Map(targets.map((t, i) => [t.key, 40000 + i])),
  };

  it('lists the upstreams of the Service clusters, named as the dev gateway names them (not the admin cluster)', () => {
    expect(targets.map((t) => [t.cluster, t.key, t.service, t.scheme])).to.deep.equal([
      ['default_gruesvc_80', 'http://gruesvc.default.svc.cluster.local:80', 'gruesvc.default', 'http'],
      ['default_usersvc_80', 'http://usersvc.default.svc.cluster.local:80', 'usersvc.default', 'http'],
    ]);
  });

  it("leaves out the stats listener (dev reads Envoy's counters from its loopback admin)", () => {
    const names = (b: object) => ((b as Json).static_resources.listeners as Json[]).map((l) => l.name);
    expect(names(published)).to.include('stats');
    expect(names(localBootstrap(published, opts).bootstrap)).to.not.include('stats');
  });

  it('changes listener addresses and ports, the admin address, certificate paths and cluster addresses, and nothing else', () => {
    const { bootstrap } = localBootstrap(published, opts);
    const withoutStats = structuredClone(published) as Json;
    withoutStats.static_resources.listeners = (withoutStats.static_resources.listeners as Json[]).filter(
      (l) => l.name !== 'stats',
    );
    const changed = new Set(differences(withoutStats, bootstrap).map((p) => p.replace(/\[\d+\]/g, '[]')));
    expect([...changed].sort()).to.deep.equal([
      'admin.address.socket_address.port_value',
      'static_resources.clusters[].load_assignment.endpoints[].lb_endpoints[].endpoint.address.socket_address.address',
      'static_resources.clusters[].load_assignment.endpoints[].lb_endpoints[].endpoint.address.socket_address.port_value',
      'static_resources.listeners[].address.socket_address.address',
      'static_resources.listeners[].address.socket_address.port_value',
      'static_resources.listeners[].filter_chains[].transport_socket.typed_config.common_tls_context.tls_certificates[].certificate_chain.filename',
      'static_resources.listeners[].filter_chains[].transport_socket.typed_config.common_tls_context.tls_certificates[].private_key.filename',
    ]);
  });

  it("binds the contract ports to loopback at the developer's ports, and the admin (and the cluster /ready proxies to) at its own", () => {
    const { bootstrap, listeners } = localBootstrap(published, opts);
    expect(listener(bootstrap, 'http').address.socket_address).to.deep.equal({
      address: '127.0.0.1',
      port_value: 18080,
    });
    expect(listener(bootstrap, 'https').address.socket_address).to.deep.equal({
      address: '127.0.0.1',
      port_value: 18443,
    });
    expect(listener(bootstrap, 'readiness').address.socket_address).to.deep.equal({
      address: '127.0.0.1',
      port_value: 18002,
    });
    expect(bootstrap.admin.address.socket_address).to.deep.equal({ address: '127.0.0.1', port_value: 19901 });
    expect(endpoint(bootstrap, 'portico_admin')).to.deep.equal({ address: '127.0.0.1', port_value: 19901 });
    expect(listeners).to.deep.equal([
      'http 0.0.0.0:8080 → 127.0.0.1:18080',
      'https 0.0.0.0:8443 → 127.0.0.1:18443',
      'readiness 0.0.0.0:8002 → 127.0.0.1:18002',
    ]);
  });

  it('points certificate files at the private folder', () => {
    const { bootstrap } = localBootstrap(published, opts);
    const cert = listener(bootstrap, 'https').filter_chains[0].transport_socket.typed_config.common_tls_context
      .tls_certificates[0];
    expect(cert.certificate_chain.filename).to.equal(`${opts.certsDir}/default_example-local-tls.crt`);
    expect(cert.private_key.filename).to.equal(`${opts.certsDir}/default_example-local-tls.key`);
    expect(JSON.stringify(bootstrap)).to.not.contain('/etc/portico/certs');
  });

  it('sends each Service to its echo port, or to its --upstream URL', () => {
    const upstreams = new Map([['usersvc.default', new URL('http://localhost:3000')]]);
    const { bootstrap, notes } = localBootstrap(published, { ...opts, upstreams });
    expect(endpoint(bootstrap, 'default_usersvc_80')).to.deep.equal({ address: 'localhost', port_value: 3000 });
    expect(endpoint(bootstrap, 'default_gruesvc_80')).to.deep.equal({
      address: '127.0.0.1',
      port_value: opts.echoPorts.get('http://gruesvc.default.svc.cluster.local:80'),
    });
    expect(notes).to.deep.equal([]);
  });

  it('says what Envoy cannot do with an --upstream: prepend its path, or change the scheme the cluster speaks', () => {
    const upstreams = new Map([['usersvc.default', new URL('https://127.0.0.1:3443/base/')]]);
    const { bootstrap, notes } = localBootstrap(published, { ...opts, upstreams });
    expect(endpoint(bootstrap, 'default_usersvc_80')).to.deep.equal({ address: '127.0.0.1', port_value: 3443 });
    expect(notes).to.have.length(2);
    expect(notes[0]).to.contain("the URL's path /base/ is not prepended");
    expect(notes[1]).to.contain('cluster default_usersvc_80 speaks plain HTTP to it').and.contain('not https');
  });

  it('gives a cluster Envoy reaches over TLS an https echo, and keeps its transport socket', () => {
    const tls = structuredClone(published);
    const c = clusters(tls).find((x) => x.name === 'default_usersvc_80')!;
    c.transport_socket = {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
        sni: 'usersvc.default.svc.cluster.local',
      },
    };
    const t = upstreamTargets(tls).find((x) => x.cluster === 'default_usersvc_80')!;
    expect(t.key).to.equal('https://usersvc.default.svc.cluster.local:80');
    const { bootstrap } = localBootstrap(tls, { ...opts, echoPorts: new Map([...opts.echoPorts, [t.key, 41000]]) });
    const local = clusters(bootstrap).find((x) => x.name === 'default_usersvc_80')!;
    expect(local.transport_socket).to.deep.equal(c.transport_socket);
    expect(endpoint(bootstrap, 'default_usersvc_80').port_value).to.equal(41000);
  });

  it('keeps a listener on another port at its port, on loopback; an upstream without an echo port is an error', () => {
    const extra = structuredClone(published);
    const copy = structuredClone(listener(extra, 'readiness'));
    copy.name = 'metrics';
    copy.address.socket_address.port_value = 9100;
    extra.static_resources.listeners.push(copy);
    expect(listener(localBootstrap(extra, opts).bootstrap, 'metrics').address.socket_address).to.deep.equal({
      address: '127.0.0.1',
      port_value: 9100,
    });
    expect(() => localBootstrap(published, { ...opts, echoPorts: new Map() })).to.throw(
      'no echo server for http://gruesvc.default.svc.cluster.local:80 (cluster default_gruesvc_80)',
    );
  });

  it('leaves the published config as it was', () => {
    const before = JSON.stringify(published);
    localBootstrap(published, opts);
    expect(JSON.stringify(published)).to.equal(before);
  });
});
