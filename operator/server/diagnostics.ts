// The /portico/v1/mappings rows: one per Mapping, in route evaluation order (first appearance in the IR's
// virtual hosts and routes, the order Envoy matches; a host-less Mapping appears in every virtual host), then
// the Mappings that are not in the config. prefix/rewrite/service are as the user wrote them. Pure.
import type { GatewayIR } from '../compile/ir.js';
import { allRoutes } from '../compile/ir-queries.js';
import type { ObjectStatus } from '../compile/types.js';
import type { Mapping } from '../api/types.js';

export interface MappingRow {
  namespace: string;
  name: string;
  host: string;
  prefix: string;
  rewrite: string;
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
        return [
          `${s.ref.namespace}/${s.ref.name}`,
          { state: c?.status === 'True' ? 'Programmed' : (c?.reason ?? 'Unknown'), message: c?.message ?? '' },
        ];
      }),
  );
  const rows: MappingRow[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const m = byId.get(id);
    const [namespace, name] = id.split('/');
    const st = stateOf.get(id) ?? { state: 'Unknown', message: '' };
    const spec = m?.spec;
    rows.push({
      namespace,
      name,
      host: spec?.host ?? '*',
      prefix: spec?.prefix ?? '',
      rewrite: spec?.rewrite ?? '/',
      service: spec?.service ?? '',
      ...st,
    });
  };
  for (const r of allRoutes(ir)) for (const m of r.members) add(m.name);
  const ids = mappings.map((m) => `${m.metadata.namespace}/${m.metadata.name}`).sort();
  for (const id of ids) add(id);
  return rows;
}
