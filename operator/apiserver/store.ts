// The object store: one global resourceVersion (like etcd's revision), objects per resource collection, and a
// bounded history of change events that watches resume from. Reads return copies; nothing outside mutates.

export type K8sObject = Record<string, any>;

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  resource: string; // resourceKey, e.g. 'apps/deployments'
  object: K8sObject;
  /** The previous state for MODIFIED and DELETED: watches turn selector moves into ADDED/DELETED with it,
   *  and paginated lists rebuild older snapshots. */
  oldObject?: K8sObject;
}

export interface StoreSnapshot {
  resourceVersion: number;
  objects: Array<{ resource: string; object: K8sObject }>;
}

function objectKey(obj: K8sObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
}

/** etcd orders keys bytewise, not by locale: 'a-b' < 'a.b' < 'a0' < 'ab'. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ObjectStore {
  private rv = 0;
  /** Events with rv <= compactedRv are no longer in the history: a watch from before then gets 410. */
  private compactedRv = 0;
  private readonly collections = new Map<string, Map<string, K8sObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly changeHooks = new Set<() => void>();

  constructor(private readonly historyLimit = 10_000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestResumableRv(): number {
    return this.compactedRv;
  }

  private collection(resource: string): Map<string, K8sObject> {
    let c = this.collections.get(resource);
    if (!c) this.collections.set(resource, (c = new Map()));
    return c;
  }

  get(resource: string, namespace: string | undefined, name: string): K8sObject | undefined {
    const o = this.collection(resource).get(`${namespace ?? ''}/${name}`);
    return o ? structuredClone(o) : undefined;
  }

  /** Items sorted by namespace/name; `namespace` undefined = all namespaces. */
  list(resource: string, namespace?: string): K8sObject[] {
    const out: K8sObject[] = [];
    for (const o of this.collection(resource).values()) {
      if (namespace === undefined || (o.metadata?.namespace ?? '') === namespace) out.push(structuredClone(o));
    }
    return out.sort((a, b) => compareKeys(objectKey(a), objectKey(b)));
  }

  /**
   * The collection as it was at `rv` (uncloned, unsorted; callers must not mutate), rebuilt by undoing the
   * newer events; 'expired' when the history no longer reaches back that far (etcd's compaction).
   */
  objectsAt(resource: string, rv: number): K8sObject[] | 'expired' {
    if (rv < this.compactedRv) return 'expired';
    const state = new Map(this.collection(resource));
    for (let i = this.history.length - 1; i >= 0 && this.history[i].rv > rv; i--) {
      const e = this.history[i];
      if (e.resource !== resource) continue;
      const key = objectKey(e.object);
      if (e.type === 'ADDED') state.delete(key);
      else if (e.oldObject) state.set(key, e.oldObject);
    }
    return [...state.values()];
  }

  /** Resource keys that currently hold objects (for namespace cleanup and GC scans). */
  resources(): string[] {
    return [...this.collections.keys()];
  }

  create(resource: string, obj: K8sObject): K8sObject {
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    this.collection(resource).set(objectKey(stored), stored);
    this.emit({ type: 'ADDED', rv: this.rv, resource, object: stored });
    return structuredClone(stored);
  }

  update(resource: string, obj: K8sObject): K8sObject {
    const key = objectKey(obj);
    const old = this.collection(resource).get(key);
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    this.collection(resource).set(key, stored);
    this.emit({ type: 'MODIFIED', rv: this.rv, resource, object: stored, oldObject: old });
    return structuredClone(stored);
  }

  /** Removes the object; the DELETED event carries `lastState` with the deletion's resourceVersion. */
  remove(resource: string, lastState: K8sObject): K8sObject {
    const key = objectKey(lastState);
    const old = this.collection(resource).get(key);
    if (!old) return structuredClone(lastState);
    this.collection(resource).delete(key);
    const last = structuredClone(lastState);
    last.metadata.resourceVersion = String(++this.rv);
    this.emit({ type: 'DELETED', rv: this.rv, resource, object: last, oldObject: old });
    return structuredClone(last);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRv = dropped[dropped.length - 1].rv;
    }
    for (const l of this.listeners) l(e);
    for (const h of this.changeHooks) h();
  }

  /** Events after `rv` for one resource, or 'expired' when the history no longer reaches back that far. */
  eventsSince(resource: string, rv: number): StoreEvent[] | 'expired' {
    if (rv < this.compactedRv) return 'expired';
    return this.history.filter((e) => e.rv > rv && e.resource === resource);
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onChange(hook: () => void): () => void {
    this.changeHooks.add(hook);
    return () => this.changeHooks.delete(hook);
  }

  snapshot(): StoreSnapshot {
    const objects: StoreSnapshot['objects'] = [];
    for (const [resource, c] of this.collections) for (const o of c.values()) objects.push({ resource, object: o });
    return { resourceVersion: this.rv, objects };
  }

  /** Restores a snapshot: no history survives, so watches from older versions get 410 and re-list. */
  load(s: StoreSnapshot): void {
    this.collections.clear();
    this.history.length = 0;
    for (const { resource, object } of s.objects) this.collection(resource).set(objectKey(object), structuredClone(object));
    this.rv = s.resourceVersion;
    this.compactedRv = s.resourceVersion;
  }
}
