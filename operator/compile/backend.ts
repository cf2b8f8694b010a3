// Resolving a parsed `spec.service` against the Services in the snapshot: which cluster, or why not.
import type { Service } from '../api/types.js';
import type { IRCluster } from './ir.js';
import type { ServiceRef } from './service-ref.js';

export type BackendResult =
  | { ok: true; cluster: IRCluster }
  | { ok: false; reason: 'BackendNotFound' | 'InvalidPort' | 'RefNotPermitted'; message: string };

/**
 * ExternalName targets that would reach the Envoy pod itself (its admin interface listens on 127.0.0.1:9901)
 * or the node's link-local services (cloud metadata endpoints at 169.254.169.254 hand out credentials). A
 * Mapping to them would publish those to the world, so they are refused (as Contour does for ExternalName).
 */
export function forbiddenExternalName(name: string): string | undefined {
  const host = name.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name';
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || /^0+\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '::' || /^0*:[0:]*:0*1?$/.test(host)) return 'a loopback or unspecified address';
  if (/^169\.254\.\d+\.\d+$/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host)) return 'a link-local address (cloud metadata endpoints live there)';
  if (host === 'metadata.google.internal' || host === 'metadata') return 'a cloud metadata endpoint';
  return undefined;
}

/** Services indexed by `namespace/name`. */
export type ServiceIndex = Map<string, Service>;

export function resolveBackend(ref: ServiceRef, services: ServiceIndex): BackendResult {
  const id = `${ref.namespace}/${ref.name}`;
  const svc = services.get(id);
  if (!svc) return { ok: false, reason: 'BackendNotFound', message: `Service ${id} not found` };
  const ports = (svc.spec?.ports ?? []).filter((p) => p && Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535);
  const listed = ports.map((p) => (p.name ? `${p.port}/${p.name}` : String(p.port))).join(', ');
  const external = svc.spec?.type === 'ExternalName' && typeof svc.spec.externalName === 'string' && svc.spec.externalName !== '';
  let port: number | undefined;

  if (typeof ref.port === 'number') {
    if (ports.length > 0 && !ports.some((p) => p.port === ref.port))
      return { ok: false, reason: 'InvalidPort', message: `Service ${id} has no port ${ref.port} (ports: ${listed})` };
    port = ref.port;
  } else if (typeof ref.port === 'string') {
    const named = ports.find((p) => p.name === ref.port);
    if (!named) return { ok: false, reason: 'InvalidPort', message: `Service ${id} has no port named "${ref.port}" (ports: ${listed || 'none'})` };
    port = named.port;
  } else if (ports.length === 1) {
    port = ports[0].port;
  } else if (ports.length === 0) {
    if (!external) return { ok: false, reason: 'InvalidPort', message: `Service ${id} declares no ports; add one to spec.service (name:port)` };
    port = ref.scheme === 'https' ? 443 : 80;
  } else {
    return {
      ok: false,
      reason: 'InvalidPort',
      message: `Service ${id} has ${ports.length} ports (${listed}); name one in spec.service, e.g. ${ref.name}:${ports[0].name ?? ports[0].port}`,
    };
  }

  const address = external ? (svc.spec!.externalName as string) : `${ref.name}.${ref.namespace}.svc.cluster.local`;
  const forbidden = external ? forbiddenExternalName(address) : undefined;
  if (forbidden) return { ok: false, reason: 'RefNotPermitted', message: `Service ${id} is an ExternalName for ${forbidden}, which the gateway never routes to` };
  const tls = ref.scheme === 'https';
  return {
    ok: true,
    cluster: { name: `${ref.namespace}_${ref.name}_${port}${tls ? '_tls' : ''}`, address, port, upstreamTls: tls },
  };
}
