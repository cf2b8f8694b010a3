// The API objects in-process tests build (compile, envoy, reconcile, fuzz): the boilerplate every test would
// repeat, set once. Each builder takes the namespace first, then the name, as "namespace/name" reads. Portico's
// own kinds get generation 1, as an API server gives a new object.
import type { ObjectMeta, Secret, Service } from '../../operator/api/object-types.js';
import {
  API_VERSION,
  type Mapping,
  type MappingSpec,
  type PorticoReferenceGrant,
  type PorticoReferenceGrantSpec,
  type TLSContext,
  type TLSContextSpec,
} from '../../operator/api/types.js';

export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export function mapping(namespace: string, name: string, spec: MappingSpec, meta: Partial<ObjectMeta> = {}): Mapping {
  return { apiVersion: API_VERSION, kind: 'Mapping', metadata: { name, namespace, generation: 1, ...meta }, spec };
}

/** A Service; by default one port, 80, unnamed. */
export function service(namespace: string, name: string, spec: Service['spec'] = { ports: [{ port: 80 }] }): Service {
  return { metadata: { name, namespace }, spec };
}

export function tlsContext(
  namespace: string,
  name: string,
  spec: TLSContextSpec,
  meta: Partial<ObjectMeta> = {},
): TLSContext {
  return { apiVersion: API_VERSION, kind: 'TLSContext', metadata: { name, namespace, generation: 1, ...meta }, spec };
}

/** A kubernetes.io/tls Secret holding this PEM chain and key (base64-encoded, as the API serves them). */
export function tlsSecret(namespace: string, name: string, crt: string, key: string): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(crt), 'tls.key': b64(key) },
  };
}

export function grant(
  namespace: string,
  from: PorticoReferenceGrantSpec['from'],
  to: PorticoReferenceGrantSpec['to'],
  name = 'g',
): PorticoReferenceGrant {
  return { apiVersion: API_VERSION, kind: 'PorticoReferenceGrant', metadata: { name, namespace }, spec: { from, to } };
}

/** The same Secret as a YAML manifest (no namespace: kubectl's default applies), for `kubectl apply -f -`. */
export function tlsSecretYaml(name: string, pair: { cert: string; key: string }): string {
  return `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
type: kubernetes.io/tls
data:
  tls.crt: ${b64(pair.cert)}
  tls.key: ${b64(pair.key)}
`;
}
