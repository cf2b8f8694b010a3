// The contract with manifests/ and reconcile/ (DESIGN.md "The contract with Envoy"), and Envoy type URLs.

export const HTTP_PORT = 8080;
export const HTTPS_PORT = 8443;
export const READINESS_PORT = 8002;
export const ADMIN_ADDRESS = '127.0.0.1';
export const ADMIN_PORT = 9901;
/** Where the certs Secret `portico-certs-<hash>` is mounted in the Envoy pod. */
export const CERTS_DIR = '/etc/portico/certs';
export const ADMIN_CLUSTER = 'portico_admin';

const T = 'type.googleapis.com/';
export const TypeUrls = {
  HttpConnectionManager: `${T}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`,
  Router: `${T}envoy.extensions.filters.http.router.v3.Router`,
  Cors: `${T}envoy.extensions.filters.http.cors.v3.Cors`,
  CorsPolicy: `${T}envoy.extensions.filters.http.cors.v3.CorsPolicy`,
  HttpProtocolOptions: `${T}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`,
  StdoutAccessLog: `${T}envoy.extensions.access_loggers.stream.v3.StdoutAccessLog`,
  TlsInspector: `${T}envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector`,
  DownstreamTlsContext: `${T}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`,
  UpstreamTlsContext: `${T}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`,
} as const;

export function socketAddress(address: string, port: number): object {
  return { socket_address: { address, port_value: port } };
}
