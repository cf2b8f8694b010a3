// The small static bootstrap an Envoy pod starts with in `xds` delivery mode (pure): admin on loopback, one
// cluster to the operator's xDS port, and ADS for listeners and clusters (routes and secrets follow over the
// same stream). manifests/overlays/xds ships the output of `xdsEnvoyBootstrap(defaults)`; a test of
// manifests/ keeps the two equal. Everything Envoy serves arrives over the stream.
import { ADMIN_ADDRESS, ADMIN_PORT, TypeUrls, socketAddress } from '../envoy/constants.js';
import { ADS_CONFIG_SOURCE } from './resource-types.js';

export const XDS_CLUSTER = 'portico_xds';
export const XDS_PORT = 18000;
/** Where the xds overlay mounts the Envoy client certificate Secret (tls.crt, tls.key, ca.crt). */
export const XDS_CLIENT_CERT_DIR = '/etc/portico/xds-tls';

export interface XdsBootstrapOptions {
  /** The operator's xDS address (a Service DNS name in a cluster). */
  address: string;
  port: number;
  /** Node id; in a pod Envoy's --service-node (the pod name) overrides it. */
  nodeId?: string;
  /** Mutual TLS: the client certificate, key and the CA that signed the operator's serving certificate. */
  tls?: { certFile: string; keyFile: string; caFile: string; serverName: string };
}

const HTTP2_OPTIONS = {
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
    '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
    // Keepalive pings find a dead operator in seconds, so Envoy reconnects to a live replica.
    explicit_http_config: { http2_protocol_options: { connection_keepalive: { interval: '10s', timeout: '5s' } } },
  },
};

export function xdsEnvoyBootstrap(o: XdsBootstrapOptions): Record<string, unknown> {
  const cluster: Record<string, unknown> = {
    name: XDS_CLUSTER,
    type: 'STRICT_DNS',
    connect_timeout: '1s',
    dns_lookup_family: 'V4_PREFERRED',
    typed_extension_protocol_options: HTTP2_OPTIONS,
    load_assignment: { cluster_name: XDS_CLUSTER, endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(o.address, o.port) } }] }] },
  };
  if (o.tls) {
    cluster.transport_socket = {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': TypeUrls.UpstreamTlsContext,
        sni: o.tls.serverName,
        common_tls_context: {
          tls_params: { tls_minimum_protocol_version: 'TLSv1_3' },
          tls_certificates: [{ certificate_chain: { filename: o.tls.certFile }, private_key: { filename: o.tls.keyFile } }],
          validation_context: { trusted_ca: { filename: o.tls.caFile }, match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: o.tls.serverName } }] },
          alpn_protocols: ['h2'],
        },
      },
    };
  }
  return {
    node: { id: o.nodeId ?? 'portico-envoy', cluster: 'portico-envoy' },
    admin: { address: socketAddress(ADMIN_ADDRESS, ADMIN_PORT) },
    dynamic_resources: {
      ads_config: {
        api_type: 'GRPC',
        transport_api_version: 'V3',
        grpc_services: [{ envoy_grpc: { cluster_name: XDS_CLUSTER } }],
        set_node_on_first_message_only: true,
      },
      lds_config: ADS_CONFIG_SOURCE,
      cds_config: ADS_CONFIG_SOURCE,
    },
    static_resources: { clusters: [cluster] },
  };
}
