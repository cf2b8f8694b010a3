// What "converged" means, computed from scratch: read every object from the API server, run compileSnapshot +
// renderEnvoyConfig on them, and compare with what the operator left in the cluster:
// - the Envoy Deployment's template points at exactly that config hash;
// - every Mapping and TLSContext carries, for its current generation, the conditions the compiler gives it
//   (Programmed=True for everything in the config, since the config is live);
// - every published generation is whole (ConfigMap and certs Secret both there) and GC kept them bounded.
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { compileSnapshot } from '../../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../../operator/envoy/index.js';
import { finalConditions } from '../../../operator/reconcile/status.js';
import type { Snapshot } from '../../../operator/compile/types.js';

export const OPERATOR_NS = 'portico-system';
const HASH = 'portico.dev/config-hash';

export interface Expected {
  hash: string;
  json: string;
  /** "Kind/ns/name" → the conditions (without times) the object must carry. */
  statuses: Map<string, Array<{ type: string; status: string; reason: string; message: string }>>;
  objects: number;
}

async function readSnapshot(kc: KubeConfig): Promise<Snapshot & { referenceGrants?: unknown[] }> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const list = async (plural: string) =>
    (
      (await custom.listClusterCustomObject({ group: 'portico.dev', version: 'v1alpha1', plural })) as {
        items: unknown[];
      }
    ).items;
  const grants = await list('porticoreferencegrants').catch(() => undefined);
  const [mappings, tlsContexts, services, secrets] = await Promise.all([
    list('mappings'),
    list('tlscontexts'),
    core.listServiceForAllNamespaces(),
    core.listSecretForAllNamespaces(),
  ]);
  return JSON.parse(
    JSON.stringify({
      mappings,
      tlsContexts,
      services: services.items,
      // Only user Secrets: the operator's own published certs Secrets are not inputs.
      secrets: secrets.items.filter((s) => s.metadata?.namespace !== OPERATOR_NS),
      ...(grants ? { referenceGrants: grants } : {}),
      now: new Date().toISOString(),
    }),
  );
}

export async function expectedState(kc: KubeConfig): Promise<Expected> {
  const snapshot = await readSnapshot(kc);
  const { ir, statuses } = compileSnapshot(snapshot);
  const config = renderEnvoyConfig(ir);
  const map = new Map<string, Array<{ type: string; status: string; reason: string; message: string }>>();
  for (const s of statuses) {
    const conditions = finalConditions(s, { kind: 'programmed' }).map(({ type, status, reason, message }) => ({
      type,
      status,
      reason,
      message,
    }));
    map.set(`${s.ref.kind}/${s.ref.namespace}/${s.ref.name}#${s.ref.generation}`, conditions);
  }
  return { hash: config.hash, json: config.json, statuses: map, objects: statuses.length };
}

/** The template hash the Envoy Deployment points at, and its generation (each template change is a rollout). */
export async function deploymentState(kc: KubeConfig): Promise<{ hash: string | undefined; generation: number }> {
  const d = await kc
    .makeApiClient(AppsV1Api)
    .readNamespacedDeployment({ name: 'portico-envoy', namespace: OPERATOR_NS });
  return { hash: d.spec?.template.metadata?.annotations?.[HASH], generation: d.metadata?.generation ?? 0 };
}

/** Published generations: hash → the kinds present. */
export async function publishedGenerations(kc: KubeConfig): Promise<Map<string, Set<string>>> {
  const core = kc.makeApiClient(CoreV1Api);
  const labelSelector = 'app.kubernetes.io/managed-by=portico';
  const [cms, secrets] = await Promise.all([
    core.listNamespacedConfigMap({ namespace: OPERATOR_NS, labelSelector }),
    core.listNamespacedSecret({ namespace: OPERATOR_NS, labelSelector }),
  ]);
  const out = new Map<string, Set<string>>();
  const add = (hash: string | undefined, kind: string) => {
    if (!hash) return;
    if (!out.has(hash)) out.set(hash, new Set());
    out.get(hash)!.add(kind);
  };
  for (const o of cms.items) add(o.metadata?.labels?.[HASH], 'ConfigMap');
  for (const o of secrets.items) add(o.metadata?.labels?.[HASH], 'Secret');
  return out;
}

/** Everything that still differs from the from-scratch render; empty when converged. */
export async function convergenceGaps(kc: KubeConfig, expected?: Expected): Promise<string[]> {
  const want = expected ?? (await expectedState(kc));
  const gaps: string[] = [];
  const d = await deploymentState(kc);
  if (d.hash !== want.hash) gaps.push(`Deployment points at ${d.hash}, a from-scratch render gives ${want.hash}`);
  const published = await publishedGenerations(kc);
  const current = published.get(want.hash);
  if (!current?.has('ConfigMap') || !current.has('Secret'))
    gaps.push(`generation ${want.hash} is not fully published (${[...(current ?? [])].join('+') || 'nothing'})`);
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const plural of ['mappings', 'tlscontexts']) {
    const items = (
      (await custom.listClusterCustomObject({ group: 'portico.dev', version: 'v1alpha1', plural })) as { items: any[] }
    ).items;
    for (const o of items) {
      const kind = plural === 'mappings' ? 'Mapping' : 'TLSContext';
      const id = `${kind}/${o.metadata.namespace}/${o.metadata.name}`;
      const wanted = want.statuses.get(`${id}#${o.metadata.generation}`);
      if (!wanted) {
        gaps.push(`${id}: generation ${o.metadata.generation} not in the expected render (changed meanwhile)`);
        continue;
      }
      if (o.status?.observedGeneration !== o.metadata.generation) {
        gaps.push(`${id}: observedGeneration ${o.status?.observedGeneration} ≠ generation ${o.metadata.generation}`);
        continue;
      }
      for (const c of wanted) {
        const have = (o.status?.conditions ?? []).find((x: any) => x.type === c.type);
        if (!have || have.status !== c.status || have.reason !== c.reason || have.message !== c.message) {
          gaps.push(
            `${id}: ${c.type} is ${have ? `${have.status}/${have.reason} "${have.message}"` : 'missing'}, want ${c.status}/${c.reason} "${c.message}"`,
          );
        }
      }
    }
  }
  return gaps;
}

/** Published generations that are incomplete (ConfigMap without Secret or the reverse): orphans. */
export function orphanedGenerations(published: Map<string, Set<string>>): string[] {
  return [...published]
    .filter(([, kinds]) => !(kinds.has('ConfigMap') && kinds.has('Secret')))
    .map(([h, kinds]) => `${h} (${[...kinds].join('+')})`);
}

/**
 * Poll until converged or `timeoutMs` passes. Resolves with the time it took and the gaps left (empty on
 * success). The expected state is recomputed on every poll, so late-arriving churn cannot fool it.
 */
export async function waitForConvergence(kc: KubeConfig, timeoutMs: number): Promise<{ ms: number; gaps: string[] }> {
  const start = Date.now();
  let gaps: string[] = ['not checked'];
  while (Date.now() - start < timeoutMs) {
    try {
      gaps = await convergenceGaps(kc);
      if (gaps.length === 0) return { ms: Date.now() - start, gaps };
    } catch (err) {
      gaps = [`cannot read the cluster: ${String(err)}`];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ms: Date.now() - start, gaps };
}
