// The placeholder bootstrap (manifests/base/envoy/bootstrap.json) lets the first Envoy pod start and turn
// Ready before the operator has published anything. It must be a valid Envoy v3 Bootstrap and honour the pod
// contract: admin on 127.0.0.1:9901 only, /ready on :8002, a 503 on :8080.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONNECTION_BUFFER_LIMIT_BYTES, edgeConnectionManagerOptions } from '../../operator/envoy/edge.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { repoRoot } from './render-manifests.js';

const bootstrap = JSON.parse(readFileSync(path.join(repoRoot, 'manifests/base/envoy/bootstrap.json'), 'utf8'));

function socket(address: any): string {
  return `${address.socket_address.address}:${address.socket_address.port_value}`;
}

function routeConfig(listener: any): any {
  const hcm = listener.filter_chains[0].filters[0];
  expect(hcm.name).to.equal('envoy.filters.network.http_connection_manager');
  return hcm.typed_config.route_config;
}

describe('manifests: Envoy bootstrap placeholder', () => {
  it('passes the Envoy proto validator', () => {
    expect(validateEnvoyBootstrap(bootstrap)).to.deep.equal([]);
  });

  it('and the validator would notice a broken one', () => {
    const broken = structuredClone(bootstrap);
    broken.static_resources.listeners[1].address.socket_address.port_value = 'eighty';
    broken.static_resources.clusters[0].connect_timeout = 'soon';
    const paths = validateEnvoyBootstrap(broken).map((i) => i.path);
    expect(paths).to.include('static_resources.listeners[1].address.socket_address.port_value');
    expect(paths).to.include('static_resources.clusters[0].connect_timeout');
  });

  it('binds admin to loopback and listens on :8002 (readiness) and :8080 (HTTP) only', () => {
    expect(socket(bootstrap.admin.address)).to.equal('127.0.0.1:9901');
    const listeners = bootstrap.static_resources.listeners.map((l: any) => socket(l.address)).sort();
    expect(listeners).to.deep.equal(['0.0.0.0:8002', '0.0.0.0:8080']);
  });

  it('answers /ready on :8002 from the admin /ready, and nothing else there', () => {
    const ready = bootstrap.static_resources.listeners.find((l: any) => l.address.socket_address.port_value === 8002);
    const routes = routeConfig(ready).virtual_hosts.flatMap((v: any) => v.routes);
    expect(routes).to.have.length(1);
    expect(routes[0].match).to.deep.equal({ path: '/ready' });
    const cluster = bootstrap.static_resources.clusters.find((c: any) => c.name === routes[0].route.cluster);
    const endpoint = cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint;
    expect(socket(endpoint.address)).to.equal(socket(bootstrap.admin.address));
  });

  it('has the edge settings of every rendered config: connection manager options, buffer limits, probes past the connection limit', () => {
    const hcmOptions = edgeConnectionManagerOptions();
    for (const l of bootstrap.static_resources.listeners) {
      const hcm = l.filter_chains[0].filters[0].typed_config;
      for (const [k, v] of Object.entries(hcmOptions)) expect(hcm[k], `${l.name}: ${k}`).to.deep.equal(v);
      expect(l.per_connection_buffer_limit_bytes, l.name).to.equal(CONNECTION_BUFFER_LIMIT_BYTES);
      expect(l.ignore_global_conn_limit ?? false, l.name).to.equal(l.address.socket_address.port_value === 8002);
    }
    for (const c of bootstrap.static_resources.clusters)
      expect(c.per_connection_buffer_limit_bytes, c.name).to.equal(CONNECTION_BUFFER_LIMIT_BYTES);
  });

  it('answers every request on :8080 with 503 "no config yet"', () => {
    const http = bootstrap.static_resources.listeners.find((l: any) => l.address.socket_address.port_value === 8080);
    const routes = routeConfig(http).virtual_hosts.flatMap((v: any) => v.routes);
    expect(routes).to.deep.equal([
      { match: { prefix: '/' }, direct_response: { status: 503, body: { inline_string: 'no config yet\n' } } },
    ]);
  });
});
