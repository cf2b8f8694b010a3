// renderEnvoyConfig keeps the pod contract (DESIGN.md): ports, admin on loopback, cert paths, access log, hash.
import { expect } from 'chai';
import { readManifests } from '../../operator/cli/manifest-files.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import type { GatewayIR } from '../../operator/compile/ir.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { forwardRoute, gatewayIR } from '../support/ir-builders.js';

const NOW = '2030-01-01T00:00:00Z';
const listeners = (b: object): any[] => (b as any).static_resources.listeners;
const ports = (b: object): number[] => listeners(b).map((l) => l.address.socket_address.port_value);

describe('renderEnvoyConfig', () => {
  const examples = readManifests(['examples/']);
  const withTls = renderEnvoyConfig(compileSnapshot({ ...examples, now: NOW }).ir);
  const noTls = renderEnvoyConfig(compileSnapshot({ ...examples, tlsContexts: [], now: NOW }).ir);

  it('passes the Envoy proto validator, with and without TLS', () => {
    expect(validateEnvoyBootstrap(withTls.bootstrap)).to.deep.equal([]);
    expect(validateEnvoyBootstrap(noTls.bootstrap)).to.deep.equal([]);
  });

  it('listens on 8080, 8002 and 8003 (stats), and on 8443 only when a TLSContext is programmed', () => {
    expect(ports(withTls.bootstrap)).to.deep.equal([8080, 8443, 8002, 8003]);
    expect(ports(noTls.bootstrap)).to.deep.equal([8080, 8002, 8003]);
    const expired = renderEnvoyConfig(compileSnapshot({ ...examples, now: '2099-01-01T00:00:00Z' }).ir);
    expect(ports(expired.bootstrap)).to.deep.equal([8080, 8002, 8003]);
    expect(expired.certFiles).to.deep.equal({});
  });

  it('binds admin to 127.0.0.1:9901 and proxies only GET /ready on :8002 to it', () => {
    const b = withTls.bootstrap as any;
    expect(b.admin.address.socket_address).to.deep.equal({ address: '127.0.0.1', port_value: 9901 });
    const ready = listeners(b).find((l) => l.name === 'readiness');
    const route = ready.filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0];
    expect(route.match).to.deep.equal({
      path: '/ready',
      headers: [{ name: ':method', string_match: { exact: 'GET' } }],
    });
    const admin = b.static_resources.clusters.find((c: any) => c.name === route.route.cluster);
    expect(admin.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).to.deep.equal({
      address: '127.0.0.1',
      port_value: 9901,
    });
  });

  it('references certificate files under /etc/portico/certs/ that are in certFiles', () => {
    const https = listeners(withTls.bootstrap).find((l) => l.name === 'https');
    const names = Object.keys(withTls.certFiles);
    expect(names.length).to.equal(2);
    for (const n of names) expect(n).to.match(/^[-._a-zA-Z0-9]+$/);
    for (const chain of https.filter_chains) {
      const cert = chain.transport_socket.typed_config.common_tls_context.tls_certificates[0];
      for (const file of [cert.certificate_chain.filename, cert.private_key.filename]) {
        expect(file).to.match(/^\/etc\/portico\/certs\//);
        expect(names).to.include(file.slice('/etc/portico/certs/'.length));
      }
    }
    expect(withTls.certFiles['default_example-local-tls.crt']).to.include('BEGIN CERTIFICATE');
    expect(withTls.json).not.to.include('PRIVATE KEY');
  });

  it('logs every request as JSON to stdout', () => {
    const hcm = listeners(withTls.bootstrap)[0].filter_chains[0].filters[0].typed_config;
    expect(hcm['@type']).to.equal(
      'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    );
    expect(hcm.access_log[0].typed_config['@type']).to.equal(
      'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
    );
    expect(hcm.access_log[0].typed_config.log_format.json_format).to.include({
      path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
    });
  });

  it('originates TLS for https:// services', () => {
    const ir: GatewayIR = gatewayIR(
      [forwardRoute('a/b', '/', 'c')],
      [{ name: 'c', address: 'x.ns.svc.cluster.local', port: 443, upstreamTls: true }],
    );
    const out = renderEnvoyConfig(ir);
    const cluster = (out.bootstrap as any).static_resources.clusters[0];
    expect(cluster.transport_socket.typed_config).to.deep.equal({
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
      sni: 'x.ns.svc.cluster.local',
    });
    expect(validateEnvoyBootstrap(out.bootstrap)).to.deep.equal([]);
  });

  it('hash is 10 hex chars of content only: same input same hash, any change in json or certificates changes it', () => {
    const again = renderEnvoyConfig(compileSnapshot({ ...readManifests(['examples/']), now: NOW }).ir);
    expect(withTls.hash).to.match(/^[0-9a-f]{10}$/);
    expect(again.hash).to.equal(withTls.hash);
    expect(again.json).to.equal(withTls.json);
    expect(noTls.hash).not.to.equal(withTls.hash);
    const ir = compileSnapshot({ ...examples, now: NOW }).ir;
    const key = Object.keys(ir.tls.files)[0];
    ir.tls.files[key] = `${ir.tls.files[key]}\n`;
    const rotated = renderEnvoyConfig(ir);
    expect(rotated.json).to.equal(withTls.json);
    expect(rotated.hash).not.to.equal(withTls.hash);
  });
});
