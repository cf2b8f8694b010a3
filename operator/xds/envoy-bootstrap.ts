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
  /**
   * Mutual TLS: `certDir` holds the client Secret's files (tls.crt, tls.key, ca.crt); `sdsDir` the two SDS files
   * of xdsClientSdsFiles(certDir). Envoy re-reads them whenever `certDir` changes (the kubelet swaps a mounted
   * Secret's files at once), so a rotated client certificate needs no restart. `serverName` is the operator's
   * name Envoy checks the serving certificate for.
   */
  tls?: { certDir: string; sdsDir: string; serverName: string };
}

const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';
export const XDS_CLIENT_SDS_FILE = 'xds-client-sds.json';
export const XDS_CA_SDS_FILE = 'xds-ca-sds.json';

/** The file-based SDS resources naming the mounted client certificate and CA (one DiscoveryResponse each). */
export function xdsClientSdsFiles(certDir: string): Record<string, string> {
  const file = (resource: object) => JSON.stringify({ resources: [{ '@type': SECRET_TYPE, ...resource }] });
  return {
    [XDS_CLIENT_SDS_FILE]: file({
      name: 'xds-client',
      tls_certificate: {
        certificate_chain: { filename: `${certDir}/tls.crt` },
        private_key: { filename: `${certDir}/tls.key` },
      },
    }),
    [XDS_CA_SDS_FILE]: file({ name: 'xds-ca', validation_context: { trusted_ca: { filename: `${certDir}/ca.crt` } } }),
  };
}

const fileSds = (path: string, dir: string) => ({
  path_config_source: { path, watched_directory: { path: dir } },
  resource_api_version: 'V3',
});

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
    load_assignment: {
      cluster_name: XDS_CLUSTER,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(o.address, o.port) } }] }],
    },
  };
  if (o.tls) {
    cluster.transport_socket = {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': TypeUrls.UpstreamTlsContext,
        sni: o.tls.serverName,
        common_tls_context: {
          // Upstream contexts default to TLS 1.2 at most: name 1.3 both ways.
          tls_params: { tls_minimum_protocol_version: 'TLSv1_3', tls_maximum_protocol_version: 'TLSv1_3' },
          tls_certificate_sds_secret_configs: [
            { name: 'xds-client', sds_config: fileSds(`${o.tls.sdsDir}/${XDS_CLIENT_SDS_FILE}`, o.tls.certDir) },
          ],
          combined_validation_context: {
            default_validation_context: {
              match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: o.tls.serverName } }],
            },
            validation_context_sds_secret_config: {
              name: 'xds-ca',
              sds_config: fileSds(`${o.tls.sdsDir}/${XDS_CA_SDS_FILE}`, o.tls.certDir),
            },
          },
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

/** The files of manifests/overlays/xds/envoy/: the bootstrap and its two SDS files, for portico-system. */
export function xdsOverlayFiles(namespace = 'portico-system'): Record<string, string> {
  const service = `portico-operator.${namespace}.svc`;
  const certDir = XDS_CLIENT_CERT_DIR;
  const pretty = (text: string) => JSON.stringify(JSON.parse(text), null, 2) + '\n';
  const sds = Object.fromEntries(Object.entries(xdsClientSdsFiles(certDir)).map(([f, t]) => [f, pretty(t)]));
  // The full name resolves whatever the pod's search domains; the certificate is checked for the short one.
  const bootstrap = xdsEnvoyBootstrap({
    address: `${service}.cluster.local`,
    port: XDS_PORT,
    tls: { certDir, sdsDir: '/etc/portico/envoy', serverName: service },
  });
  return { 'bootstrap.json': JSON.stringify(bootstrap, null, 2) + '\n', ...sds };
}
