// The /portico/v1/mappings rows: every Mapping in route evaluation order (the order of the IR's virtual hosts
// and routes, which is the order Envoy matches), then the rejected ones. Pure.
import type { GatewayIR } from '../compile/ir.js';
import type { ObjectStatus } from '../compile/types.js';
import type { Mapping } from '../api/types.js';

export interface MappingRow {
  namespace: string;
  name: string;
  host: string;
  prefix: string;
  rewrite: string | null;
  service: string;
  /** Programmed condition: "Programmed", or the reason it is not. */
  state: string;
  message: string;
}

export function mappingRows(ir: GatewayIR, statuses: ObjectStatus[], mappings: Mapping[]): MappingRow[] {
  const byId = new Map(mappings.map((m) => [`${m.metadata.namespace}/${m.metadata.name}`, m]));
  const stateOf = new Map(
    statuses
      .filter((s) => s.ref.kind === 'Mapping')
      .map((s) => {
        const c = s.conditions.find((x) => x.type === 'Programmed') ?? s.conditions.find((x) => x.status === 'False');
        return [`${s.ref.namespace}/${s.ref.name}`, { state: c?.status === 'True' ? 'Programmed' : (c?.reason ?? 'Unknown'), message: c?.message ?? '' }];
      }),
  );
  const rows: MappingRow[] = [];
  const seen = new Set<string>();
  const row = (id: string, host: string, prefix: string, rewrite: string | null): MappingRow => {
    const m = byId.get(id);
    const [namespace, name] = id.split('/');
    const st = stateOf.get(id) ?? { state: 'Unknown', message: '' };
    return { namespace, name, host, prefix, rewrite, service: m?.spec?.service ?? '', ...st };
  };
  for (const vh of ir.virtualHosts) {
    for (const r of vh.routes) {
      seen.add(r.name);
      const rewrite = r.action.kind === 'forward' ? (r.action.rewrite.kind === 'prefix' ? r.action.rewrite.value : r.action.rewrite.kind === 'none' ? '' : r.action.rewrite.substitution) : null;
      rows.push(row(r.name, vh.domain, r.prefix, rewrite));
    }
  }
  for (const m of [...mappings].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))) {
    const id = `${m.metadata.namespace}/${m.metadata.name}`;
    if (!seen.has(id)) rows.push(row(id, m.spec?.host ?? '*', m.spec?.prefix ?? '', m.spec?.rewrite ?? null));
  }
  return rows;
}
