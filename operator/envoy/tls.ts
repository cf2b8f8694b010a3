// TLS transport sockets: downstream (terminating a TLSContext, certificate files under the certs mount) and
// upstream (`https://` services; encrypts but does not verify the upstream certificate, as Emissary's https://).
import type { IRDownstreamTls } from '../compile/ir.js';
import type { TlsVersion } from '../api/types.js';
import { CERTS_DIR, TypeUrls } from './constants.js';

const ENVOY_TLS_VERSION: Record<TlsVersion, string> = { 'v1.2': 'TLSv1_2', 'v1.3': 'TLSv1_3' };

/**
 * TLS 1.2 cipher suites, set explicitly rather than left to Envoy's defaults (which may change): ECDHE key
 * exchange (forward secrecy) with AEAD ciphers only, in BoringSSL syntax ([a|b] = equal preference, so clients
 * without AES hardware may pick ChaCha20). No CBC, no RSA key exchange, no SHA-1 MACs. TLS 1.3 suites are fixed
 * by BoringSSL and all AEAD.
 */
export const TLS12_CIPHER_SUITES = [
  '[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]',
  '[ECDHE-RSA-AES128-GCM-SHA256|ECDHE-RSA-CHACHA20-POLY1305]',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
] as const;
export const ECDH_CURVES = ['X25519', 'P-256'] as const;

export function downstreamTlsSocket(ctx: IRDownstreamTls): Record<string, unknown> {
  const tlsParams = {
    tls_minimum_protocol_version: ENVOY_TLS_VERSION[ctx.minTlsVersion] ?? ENVOY_TLS_VERSION['v1.2'],
    tls_maximum_protocol_version: ENVOY_TLS_VERSION[ctx.maxTlsVersion ?? 'v1.3'] ?? ENVOY_TLS_VERSION['v1.3'],
    cipher_suites: [...TLS12_CIPHER_SUITES],
    ecdh_curves: [...ECDH_CURVES],
  };
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': TypeUrls.DownstreamTlsContext,
      common_tls_context: {
        tls_params: tlsParams,
        tls_certificates: [
          {
            certificate_chain: { filename: `${CERTS_DIR}/${ctx.certFile}` },
            private_key: { filename: `${CERTS_DIR}/${ctx.keyFile}` },
          },
        ],
        ...(ctx.alpnProtocols.length > 0 ? { alpn_protocols: ctx.alpnProtocols } : {}),
      },
    },
  };
}

export function upstreamTlsSocket(sni: string): Record<string, unknown> {
  return { name: 'envoy.transport_sockets.tls', typed_config: { '@type': TypeUrls.UpstreamTlsContext, sni } };
}
