// A cluster held in memory for in-process reconciler tests: a recording writer (every call the reconciler makes
// to change the cluster, in order, applied to the objects here) and a cache that reads the same objects back,
// as if every watch delivered at once. Faults are injected per call. The reconciler under test is the real one,
// with the real Publisher, EventRecorder and ServedConfigs on top of this writer.
import type { CoreV1Event, KubernetesObject, V1ConfigMap, V1Deployment, V1Secret } from '@kubernetes/client-node';
import type { ClusterApi } from '../../../operator/kube/cluster-writer.js';
import type { Mapping, Service, TLSContext } from '../../../operator/api/types.js';
import type { Snapshot } from '../../../operator/compile/types.js';
import type { RolloutFacts } from '../../../operator/kube/rollout-facts.js';

export interface RecordedCall {
  verb: 'apply' | 'delete' | 'replaceStatus' | 'createEvent';
  kind: string;
  name: string;
}

type Stored = KubernetesObject & { status?: unknown; data?: Record<string, string>; binaryData?: Record<string, string> };

const keyOf = (kind: string, namespace: string | undefined, name: string | undefined) => `${kind}/${namespace ?? ''}/${name ?? ''}`;
const clone = <T>(o: T): T => structuredClone(o);

/** Equality (`k=v`) and existence (`k`) terms, all of which must hold: the selectors publishing uses. */
function selects(selector: string, labels: Record<string, string> = {}): boolean {
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return v === undefined ? k in labels : labels[k] === v;
  });
}

export class InMemoryCluster {
  readonly objects = new Map<string, Stored>();
  readonly calls: RecordedCall[] = [];
  readonly events: CoreV1Event[] = [];
  /** Throw from a call before it changes anything (an API error, a timeout). */
  fail: ((call: RecordedCall) => Error | undefined) | undefined;
  private resourceVersion = 1;

  put(obj: Stored): void {
    const kind = obj.kind!;
    this.objects.set(keyOf(kind, obj.metadata?.namespace, obj.metadata?.name), { ...clone(obj), metadata: { ...clone(obj.metadata), resourceVersion: String(this.resourceVersion++) } });
  }

  get<T = Stored>(kind: string, namespace: string, name: string): T | undefined {
    return this.objects.get(keyOf(kind, namespace, name)) as T | undefined;
  }

  list<T = Stored>(kind: string): T[] {
    return [...this.objects.values()].filter((o) => o.kind === kind) as T[];
  }

  private selected<T = Stored>(kind: string, namespace: string, selector: string): T[] {
    return this.list(kind).filter((o) => o.metadata?.namespace === namespace && selects(selector, o.metadata?.labels)) as T[];
  }

  /** The calls of one verb, as `Kind/name`. */
  callsOf(verb: RecordedCall['verb']): string[] {
    return this.calls.filter((c) => c.verb === verb).map((c) => `${c.kind}/${c.name}`);
  }

  private record(call: RecordedCall): void {
    const err = this.fail?.(call);
    if (err) throw err;
    this.calls.push(call);
  }

  readonly writer: ClusterApi = {
    apply: async <T extends KubernetesObject>(obj: T): Promise<T> => {
      const { kind, metadata } = obj as Stored;
      this.record({ verb: 'apply', kind: kind!, name: metadata!.name! });
      const existing = this.get(kind!, metadata!.namespace!, metadata!.name!);
      if (kind === 'Deployment' && existing) {
        // What this test needs of server-side apply: our annotations and volumes (merged by name) win.
        const d = clone(existing) as V1Deployment;
        const ours = (obj as V1Deployment).spec!.template;
        const t = (d.spec!.template ??= {});
        t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations, ...ours.metadata?.annotations } };
        const volumes = new Map((t.spec?.volumes ?? []).map((v) => [v.name, v]));
        for (const v of ours.spec?.volumes ?? []) volumes.set(v.name, v);
        t.spec = { containers: [], ...t.spec, volumes: [...volumes.values()] };
        d.metadata!.generation = (d.metadata!.generation ?? 1) + 1;
        this.put(d as Stored);
      } else {
        this.put(obj as Stored);
      }
      return clone(this.get(kind!, metadata!.namespace!, metadata!.name!)) as unknown as T;
    },
    delete: async (kind, namespace, name) => {
      this.record({ verb: 'delete', kind, name });
      this.objects.delete(keyOf(kind, namespace, name));
    },
    replaceStatus: async (plural, obj) => {
      const kind = plural === 'mappings' ? 'Mapping' : 'TLSContext';
      this.record({ verb: 'replaceStatus', kind, name: obj.metadata!.name! });
      const current = this.get(kind, obj.metadata!.namespace!, obj.metadata!.name!);
      if (!current) throw Object.assign(new Error('not found'), { code: 404 });
      if (current.metadata?.resourceVersion !== obj.metadata?.resourceVersion) throw Object.assign(new Error('conflict'), { code: 409 });
      this.put({ ...current, status: clone(obj.status) });
      return clone(this.get(kind, obj.metadata!.namespace!, obj.metadata!.name!)!);
    },
    createEvent: async (_namespace, event) => {
      this.record({ verb: 'createEvent', kind: event.involvedObject.kind!, name: event.involvedObject.name! });
      this.events.push(clone(event));
    },
    getCustom: async (plural, namespace, name) => clone(this.get(plural === 'mappings' ? 'Mapping' : 'TLSContext', namespace, name)),
    getDeployment: async (namespace, name) => clone(this.get<V1Deployment>('Deployment', namespace, name)),
    listReplicaSets: async () => [],
    readGeneration: async (namespace, selector) => ({
      configMaps: clone(this.selected<V1ConfigMap>('ConfigMap', namespace, selector)),
      secrets: clone(this.selected<V1Secret>('Secret', namespace, selector)),
    }),
    listPublished: async (namespace, selector) =>
      [...this.selected('ConfigMap', namespace, selector), ...this.selected('Secret', namespace, selector)].map((o) => ({ apiVersion: 'v1', kind: o.kind, metadata: clone(o.metadata) })),
  };

  /** The informers' view: everything here, synced. */
  readonly cache = {
    readyToCompile: true,
    mappingObjects: (): Mapping[] => this.list<Mapping>('Mapping'),
    tlsContextObjects: (): TLSContext[] => this.list<TLSContext>('TLSContext'),
    snapshot: (now: Date): Snapshot => ({
      mappings: this.list<Mapping>('Mapping'),
      tlsContexts: this.list<TLSContext>('TLSContext'),
      services: this.list<Service>('Service'),
      secrets: this.list('Secret').filter((s) => !s.metadata?.labels?.['app.kubernetes.io/managed-by']) as never,
      referenceGrants: [],
      now: now.toISOString(),
    }),
  };

  /** The Envoy rollout watches' view of the Deployment (no ReplicaSets or pods: the rollout never completes). */
  rollout(namespace: string, name: string): { facts(): RolloutFacts; readonly settled: boolean } {
    return { settled: true, facts: () => ({ namespace, name, deployment: clone(this.get('Deployment', namespace, name)) as never, replicaSets: [], pods: [], podsKnown: true }) };
  }
}
