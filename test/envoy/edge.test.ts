// Every listener, connection manager and cluster the renderer produces carries the edge settings of edge.ts (what
// they do on real Envoy: test/real/edge-http.test.ts).
import { expect } from 'chai';
import { readManifests } from '../../operator/cli/manifest-files.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { CONNECTION_BUFFER_LIMIT_BYTES, edgeConnectionManagerOptions } from '../../operator/envoy/edge.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';

describe('renderEnvoyConfig: edge settings', () => {
  const examples = readManifests(['examples/']);
  const b = renderEnvoyConfig(compileSnapshot({ ...examples, now: '2030-01-01T00:00:00Z' }).ir).bootstrap as any;
  const listeners: any[] = b.static_resources.listeners;

  it('renders HTTP, HTTPS, readiness and stats listeners for this check', () => {
    expect(listeners.map((l) => l.name)).to.deep.equal(['http', 'https', 'readiness', 'stats']);
  });

  it('sets the same connection manager options on every filter chain of every listener', () => {
    const options = edgeConnectionManagerOptions();
    expect(options).to.deep.include({
      use_remote_address: true,
      xff_num_trusted_hops: 0,
      request_headers_timeout: '10s',
    });
    expect(options.common_http_protocol_options).to.deep.equal({ headers_with_underscores_action: 'REJECT_REQUEST' });
    expect(options.http2_protocol_options).to.deep.equal({
      max_concurrent_streams: 100,
      initial_stream_window_size: 65536,
      initial_connection_window_size: 1048576,
    });
    for (const l of listeners) {
      for (const chain of l.filter_chains) {
        const hcm = chain.filters[0].typed_config;
        for (const [k, v] of Object.entries(options))
          expect(hcm[k], `${l.name}/${chain.name ?? ''}: ${k}`).to.deep.equal(v);
      }
    }
  });

  it('trusts x-envoy-* headers from the pod itself only (an empty internal_address_config would trust RFC 1918)', () => {
    const ranges = edgeConnectionManagerOptions().internal_address_config as any;
    expect(ranges.cidr_ranges.map((r: any) => `${r.address_prefix}/${r.prefix_len}`)).to.deep.equal([
      '127.0.0.1/32',
      '::1/128',
    ]);
  });

  it('limits every listener and cluster to 32 KiB of buffer per connection', () => {
    expect(CONNECTION_BUFFER_LIMIT_BYTES).to.equal(32768);
    for (const x of [...listeners, ...b.static_resources.clusters])
      expect(x.per_connection_buffer_limit_bytes, x.name).to.equal(32768);
  });

  it('lets only the readiness and stats listeners past the global connection limit', () => {
    expect(listeners.filter((l) => l.ignore_global_conn_limit).map((l) => l.name)).to.deep.equal([
      'readiness',
      'stats',
    ]);
  });
});
