// The xDS channel's server credentials. Mutual TLS is the default in the manifests: the operator presents a
// certificate its own CA issued (xds/channel-pki.ts keeps the CA in a Secret) and accepts only clients with a
// certificate from the same CA, i.e. the Envoy pods. Insecure exists for a loopback test or a dev machine and
// must be asked for by name.
import * as grpc from '@grpc/grpc-js';

export interface XdsCredentials {
  /** Credentials for a (re)bind of the server; called again after a rotation. */
  server(): grpc.ServerCredentials;
  readonly kind: 'insecure' | 'mutual-tls';
}

export function insecureXdsCredentials(): XdsCredentials {
  return { kind: 'insecure', server: () => grpc.ServerCredentials.createInsecure() };
}

/** Mutual TLS whose certificates a provider pushes (channel-pki.ts): a rotation applies to new connections. */
export function providedXdsCredentials(provider: grpc.experimental.CertificateProvider): XdsCredentials {
  return {
    kind: 'mutual-tls',
    server: () => grpc.experimental.createCertificateProviderServerCredentials(provider, provider, true),
  };
}

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}
