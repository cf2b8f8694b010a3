// TLS transport sockets: downstream (terminating a TLSContext, certificate files under the certs mount) and
// upstream (`https://` services; encrypts but does not verify the upstream certificate, as Emissary's https://).
import type { IRTlsContext } from '../compile/ir.js';
import type { TlsVersion } from '../api/types.js';
import { CERTS_DIR, TypeUrls } from './constants.js';

const ENVOY_TLS_VERSION: Record<TlsVersion, string> = { 'v1.0': 'TLSv1_0', 'v1.1': 'TLSv1_1', 'v1.2': 'TLSv1_2', 'v1.3': 'TLSv1_3' };

export function downstreamTlsSocket(ctx: IRTlsContext): Record<string, unknown> {
  const tlsParams: Record<string, string> = { tls_minimum_protocol_version: ENVOY_TLS_VERSION[ctx.minTlsVersion] };
  if (ctx.maxTlsVersion) tlsParams.tls_maximum_protocol_version = ENVOY_TLS_VERSION[ctx.maxTlsVersion];
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': TypeUrls.DownstreamTlsContext,
      common_tls_context: {
        tls_params: tlsParams,
        tls_certificates: [
          { certificate_chain: { filename: `${CERTS_DIR}/${ctx.certFile}` }, private_key: { filename: `${CERTS_DIR}/${ctx.keyFile}` } },
        ],
        ...(ctx.alpnProtocols.length > 0 ? { alpn_protocols: ctx.alpnProtocols } : {}),
      },
    },
  };
}

export function upstreamTlsSocket(sni: string): Record<string, unknown> {
  return { name: 'envoy.transport_sockets.tls', typed_config: { '@type': TypeUrls.UpstreamTlsContext, sni } };
}
