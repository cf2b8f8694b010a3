// compileSnapshot: Snapshot (+ the operator's CompileOptions) → Gateway IR + one status per Mapping and
// TLSContext. Pure (no I/O, no clock, no randomness), deterministic whatever the input order, and it never
// throws: a bad object is rejected with a condition naming the field and everything valid is still compiled.
//
// The steps: each object on its own (mappings.ts, tls-contexts.ts step 1); who owns which host
// (host-ownership.ts, from every host any object names); which TLSContext serves which host (oldest first);
// which Mappings may serve their host and match (host ownership, canary groups within one namespace); the
// route list in Emissary's order (routes.ts); the listeners and filter chains (filter-chains.ts); the statuses.
import type { Mapping, Service } from '../api/types.js';
import { confineCanaryGroups } from './canary-groups.js';
import { buildHostOwnership, type HostClaim } from './host-ownership.js';
import type { GatewayIR, IRCluster } from './ir.js';
import { formatIp, parseIpLiteral } from './ip-literals.js';
import {
  canaryConflictStatus,
  hostRefusedStatus,
  idleShadowStatus,
  invalidMappingStatus,
  routedMappingStatuses,
} from './mapping-statuses.js';
import { compileMapping, type MappingCandidate } from './mappings.js';
import { resolveCompileOptions, type CompileOptions } from './options.js';
import { indexReferenceGrants } from './reference-grants.js';
import { buildRouteTable } from './routes.js';
import { buildListeners } from './filter-chains.js';
import { compareStrings, indexById, uniqueSorted } from './source-objects.js';
import { assignTlsContexts, checkTlsContexts, tlsHostClaims } from './tls-contexts.js';
import type { ObjectStatus, Snapshot } from './types.js';

export interface CompileResult {
  ir: GatewayIR;
  statuses: ObjectStatus[];
}

export type { GatewayIR } from './ir.js';
export type { CompileOptions } from './options.js';

/** ClusterIP (canonical text) → `namespace/name`, so an ExternalName naming an IP is known as that Service. */
function clusterIpIndex(services: Map<string, Service>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, svc] of [...services.entries()].sort((a, b) => compareStrings(a[0], b[0]))) {
    const spec = svc?.spec;
    const ips = [spec?.clusterIP, ...(Array.isArray(spec?.clusterIPs) ? spec.clusterIPs : [])];
    for (const ip of ips) {
      const parsed = typeof ip === 'string' ? parseIpLiteral(ip) : undefined;
      if (parsed && !out.has(formatIp(parsed))) out.set(formatIp(parsed), id);
    }
  }
  return out;
}

export function compileSnapshot(snapshot: Snapshot, options?: Partial<CompileOptions>): CompileResult {
  const opts = resolveCompileOptions(options);
  const services = indexById(snapshot?.services);
  const secrets = indexById(snapshot?.secrets);
  const now = typeof snapshot?.now === 'string' ? snapshot.now : '';
  const grants = indexReferenceGrants(snapshot?.referenceGrants);
  const backendContext = {
    policy: opts.externalNameServices,
    clusterDomain: opts.clusterDomain,
    grants,
    clusterIps: clusterIpIndex(services),
  };

  const checkedTls = checkTlsContexts(uniqueSorted(snapshot?.tlsContexts), secrets, now, grants);
  const outcomes = uniqueSorted<Mapping>(snapshot?.mappings).map((raw) =>
    compileMapping(raw, services, backendContext),
  );

  const claims: HostClaim[] = tlsHostClaims(checkedTls);
  for (const o of outcomes) if (o.namedHost) claims.push({ host: o.namedHost, kind: 'Mapping', ...o.ident });
  const ownership = buildHostOwnership(opts.hostOwnership, claims, grants);
  const tls = assignTlsContexts(checkedTls, ownership, opts.hostOwnership);

  const mappingStatuses: ObjectStatus[] = [];
  const permitted: MappingCandidate[] = [];
  for (const o of outcomes) {
    const c = o.candidate;
    if (!c) {
      mappingStatuses.push(invalidMappingStatus(o.ident, o.invalid ?? 'Invalid', o.invalidReason));
      continue;
    }
    // Refused hosts claim nothing: holding them (even as 503) would let one namespace black-hole another's host.
    const refusal = c.host ? ownership.refusal('Mapping', c.namespace, c.host) : undefined;
    if (refusal) mappingStatuses.push(hostRefusedStatus(c, refusal));
    else permitted.push(c);
  }
  let routed = permitted;
  if (ownership.enforced) {
    const confined = confineCanaryGroups(permitted);
    routed = confined.kept;
    mappingStatuses.push(...confined.conflicts.map(canaryConflictStatus));
  }

  const table = buildRouteTable(routed, tls.redirects, ownership);
  // Only the clusters some route sends to (a member answering 503 or an idle shadow needs none).
  const used = new Set(
    table.routes.flatMap((r) => [
      ...r.members.map((m) => (m.action.kind === 'forward' ? m.action.cluster : '')),
      r.mirror?.cluster ?? '',
    ]),
  );
  const clusters = new Map<string, IRCluster>();
  for (const c of routed) if (c.cluster && used.has(c.cluster.name)) clusters.set(c.cluster.name, c.cluster);
  mappingStatuses.push(...routedMappingStatuses(table.groups), ...table.idleShadows.map(idleShadowStatus));

  const statuses = [...mappingStatuses, ...tls.statuses].sort(
    (a, b) =>
      compareStrings(a.ref.kind, b.ref.kind) ||
      compareStrings(a.ref.namespace, b.ref.namespace) ||
      compareStrings(a.ref.name, b.ref.name),
  );
  const ir: GatewayIR = {
    listeners: buildListeners(table, tls.contexts),
    clusters: [...clusters.values()].sort((a, b) => compareStrings(a.name, b.name)),
    tls: { files: sortedRecord(tls.files) },
  };
  return { ir, statuses };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort((a, b) => compareStrings(a[0], b[0])));
}
