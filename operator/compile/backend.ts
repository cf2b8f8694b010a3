// Resolving a parsed `spec.service` against the Services in the snapshot: which cluster, or why not.
// ExternalName Services go through external-names.ts (off by default, hardened when on).
import type { Service } from '../api/types.js';
import { checkExternalName, type ExternalNameContext } from './external-names.js';
import type { IRCluster } from './ir.js';
import type { ServiceRef } from '../api/service-ref.js';

export type BackendResult =
  | { ok: true; cluster: IRCluster }
  | { ok: false; reason: 'BackendNotFound' | 'InvalidPort' | 'RefNotPermitted'; message: string };

/** Services indexed by `namespace/name`. */
export type ServiceIndex = Map<string, Service>;

/** What resolution needs beyond the Service itself: the cluster domain and the ExternalName policy. */
export type BackendContext = ExternalNameContext;

export function resolveBackend(ref: ServiceRef, services: ServiceIndex, ctx: BackendContext): BackendResult {
  const id = `${ref.namespace}/${ref.name}`;
  const svc = services.get(id);
  if (!svc) return { ok: false, reason: 'BackendNotFound', message: `Service ${id} not found` };
  const ports = (svc.spec?.ports ?? []).filter((p) => p && Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535);
  const listed = ports.map((p) => (p.name ? `${p.port}/${p.name}` : String(p.port))).join(', ');
  const external =
    svc.spec?.type === 'ExternalName' && typeof svc.spec.externalName === 'string' && svc.spec.externalName !== '';
  let address = `${ref.name}.${ref.namespace}.svc.${ctx.clusterDomain}`;
  if (external) {
    const verdict = checkExternalName(svc.spec!.externalName as string, id, ctx);
    if (!verdict.ok) return { ok: false, reason: 'RefNotPermitted', message: `Service ${id} ${verdict.message}` };
    address = verdict.address;
  }
  let port: number | undefined;

  if (typeof ref.port === 'number') {
    if (ports.length > 0 && !ports.some((p) => p.port === ref.port))
      return { ok: false, reason: 'InvalidPort', message: `Service ${id} has no port ${ref.port} (ports: ${listed})` };
    port = ref.port;
  } else if (typeof ref.port === 'string') {
    const named = ports.find((p) => p.name === ref.port);
    if (!named)
      return {
        ok: false,
        reason: 'InvalidPort',
        message: `Service ${id} has no port named "${ref.port}" (ports: ${listed || 'none'})`,
      };
    port = named.port;
  } else if (ports.length === 1) {
    port = ports[0].port;
  } else if (ports.length === 0) {
    if (!external)
      return {
        ok: false,
        reason: 'InvalidPort',
        message: `Service ${id} declares no ports; add one to spec.service (name:port)`,
      };
    port = ref.scheme === 'https' ? 443 : 80;
  } else {
    return {
      ok: false,
      reason: 'InvalidPort',
      message: `Service ${id} has ${ports.length} ports (${listed}); name one in spec.service, e.g. ${ref.name}:${ports[0].name ?? ports[0].port}`,
    };
  }

  const tls = ref.scheme === 'https';
  return {
    ok: true,
    cluster: { name: `${ref.namespace}_${ref.name}_${port}${tls ? '_tls' : ''}`, address, port, upstreamTls: tls },
  };
}
