// compileSnapshot: Snapshot → Gateway IR + one status per Mapping and TLSContext. Pure (no I/O, no clock, no
// randomness), deterministic whatever the input order, and it never throws: a bad object is rejected with a
// condition naming the field and everything valid is still compiled.
import { Reasons, accepted, condition, notAccepted, notProgrammed, programmedPending } from '../api/conditions.js';
import type { Mapping } from '../api/types.js';
import type { GatewayIR, IRCluster } from './ir.js';
import { compileMapping, type MappingCandidate } from './mappings.js';
import { indexReferenceGrants } from './reference-grants.js';
import { buildRouteTable } from './routes.js';
import { compareStrings, indexById, uniqueSorted } from './source-objects.js';
import { compileTlsContexts } from './tls-contexts.js';
import type { ObjectStatus, Snapshot } from './types.js';

export interface CompileResult {
  ir: GatewayIR;
  statuses: ObjectStatus[];
}

export type { GatewayIR } from './ir.js';

export function compileSnapshot(snapshot: Snapshot): CompileResult {
  const services = indexById(snapshot?.services);
  const secrets = indexById(snapshot?.secrets);
  const now = typeof snapshot?.now === 'string' ? snapshot.now : '';
  const grants = indexReferenceGrants(snapshot?.referenceGrants);

  const tls = compileTlsContexts(uniqueSorted(snapshot?.tlsContexts), secrets, now, grants);

  const mappingStatuses: ObjectStatus[] = [];
  const candidates: MappingCandidate[] = [];
  const clusters = new Map<string, IRCluster>();
  for (const raw of uniqueSorted<Mapping>(snapshot?.mappings)) {
    const outcome = compileMapping(raw, services, grants);
    if (!outcome.ok) {
      const gen = outcome.generation;
      mappingStatuses.push({
        ref: mappingRef(outcome),
        conditions: [
          notAccepted(Reasons.Invalid, outcome.message, gen),
          condition('ResolvedRefs', 'Unknown', Reasons.Invalid, 'Not checked: the object is invalid', gen),
          notProgrammed(Reasons.Invalid, outcome.message, gen),
        ],
        inConfig: false,
      });
      continue;
    }
    candidates.push(outcome.candidate);
    if (outcome.candidate.cluster) clusters.set(outcome.candidate.cluster.name, outcome.candidate.cluster);
  }

  const table = buildRouteTable(candidates, tls.redirectPatterns);
  for (const group of table.groups) {
    const n = group.members.length;
    const ids = group.members.slice(0, 6).map((p) => `${p.namespace}/${p.name}`);
    for (const m of group.members) {
      const peers = ids.filter((id) => id !== `${m.namespace}/${m.name}`).slice(0, 5);
      const message =
        n === 1 ? 'Accepted' : `Same host and prefix as Mapping ${peers.join(', ')}${n - 1 > peers.length ? ', …' : ''}: traffic is split evenly (1/${n} each)`;
      mappingStatuses.push({
        ref: mappingRef(m),
        conditions: [accepted(m.generation, message), m.resolvedRefs, programmedPending(m.generation)],
        inConfig: true,
      });
    }
  }

  const statuses = [...mappingStatuses, ...tls.statuses].sort(
    (a, b) => compareStrings(a.ref.kind, b.ref.kind) || compareStrings(a.ref.namespace, b.ref.namespace) || compareStrings(a.ref.name, b.ref.name),
  );
  const ir: GatewayIR = {
    virtualHosts: table.virtualHosts,
    clusters: [...clusters.values()].sort((a, b) => compareStrings(a.name, b.name)),
    tls: { contexts: tls.contexts, files: sortedRecord(tls.files) },
  };
  return { ir, statuses };
}

function mappingRef(m: { namespace: string; name: string; uid?: string; generation?: number }): ObjectStatus['ref'] {
  return {
    kind: 'Mapping',
    namespace: m.namespace,
    name: m.name,
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.generation !== undefined ? { generation: m.generation } : {}),
  };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort((a, b) => compareStrings(a[0], b[0])));
}
