// Envoy's edge-proxy settings ("Configuring Envoy as an edge proxy", envoy-runtime.md §2), for every listener and
// cluster Portico renders. Only values that differ from Envoy's defaults are set. Each one is tested on real Envoy in
// test/real/edge-*.test.ts. The overload manager (heap and connection limits) is not here: it is in the Envoy
// Deployment's --config-yaml, so that its heap limit follows the container's memory limit (docs/operations.md).

/** Listener and cluster read/write buffers per connection (Envoy's default is 1 MiB). */
export const CONNECTION_BUFFER_LIMIT_BYTES = 32 * 1024;

/**
 * From the first byte of a request's headers to the last. Against slowloris: a client that trickles its headers
 * never gets a stream, whatever its pace. Headers are a few KiB, so even a slow mobile link sends them in well
 * under a second.
 */
export const REQUEST_HEADERS_TIMEOUT = '10s';

export const HTTP2_LIMITS = {
  max_concurrent_streams: 100,
  initial_stream_window_size: 64 * 1024,
  initial_connection_window_size: 1024 * 1024,
} as const;

/**
 * The peers whose x-envoy-* request headers Envoy trusts (it strips them from everyone else). An explicit but
 * empty config would make every RFC 1918 address internal (measured on Envoy 1.40: a client from 10.0.0.0/8 could
 * set x-envoy-upstream-rq-timeout-ms), and behind a Service every client may look like one. So: the pod's own
 * loopback only (kubectl port-forward), never a peer outside the pod.
 */
export const INTERNAL_ADDRESS_CONFIG = {
  unix_sockets: false,
  cidr_ranges: [
    { address_prefix: '127.0.0.1', prefix_len: 32 },
    { address_prefix: '::1', prefix_len: 128 },
  ],
} as const;

/** The HttpConnectionManager fields every listener shares, in a fixed key order (the output is canonical). */
export function edgeConnectionManagerOptions(): Record<string, unknown> {
  return {
    // The client is the TCP peer; an X-Forwarded-For it sends is kept but not believed (no trusted hops).
    use_remote_address: true,
    xff_num_trusted_hops: 0,
    internal_address_config: INTERNAL_ADDRESS_CONFIG,
    // `x_user` and `x-user` reach many upstreams (CGI, WSGI, nginx) as the same header: refuse the request (400).
    common_http_protocol_options: { headers_with_underscores_action: 'REJECT_REQUEST' },
    http2_protocol_options: HTTP2_LIMITS,
    request_headers_timeout: REQUEST_HEADERS_TIMEOUT,
  };
}
