// The object store: one global resourceVersion (like etcd's revision), objects per resource collection, a
// bounded history of change events that watches resume from, and indexes by uid and owner. Reads return
// copies; nothing outside mutates.
//
// A write is checked completely before anything changes: the object is copied and serialised (which is
// where a pathological object would throw), measured against etcd's size limit, and handed to the commit
// hooks (the journal of persistence.ts), any of which may refuse it. Only then is it stored and announced.
// Listeners run isolated: one that throws is reported and does not stop the others or fail the write.
import { EventHistory, DEFAULT_HISTORY_LIMITS, type HistoryLimits } from './store-history.js';
import { reportToStderr, runIsolated, type ProblemReporter } from './isolation.js';
import { OwnerIndex } from './owner-index.js';
import { etcdRequestBytes, MAX_ETCD_REQUEST_BYTES, StorageTooLargeError } from './etcd-limits.js';
import {
  compareKeys,
  objectKey,
  type K8sObject,
  type PendingCommit,
  type StoreEvent,
  type StoreSnapshot,
} from './stored-objects.js';

export interface StoreOptions extends Partial<HistoryLimits> {
  /** etcd's --max-request-bytes (1.5 MiB). */
  maxObjectBytes?: number;
  report?: ProblemReporter;
}

export class ObjectStore {
  private rv = 0;
  private readonly collections = new Map<string, Map<string, K8sObject>>();
  private readonly history: EventHistory;
  private readonly owners = new OwnerIndex();
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly changeHooks = new Set<() => void>();
  private readonly commitHooks = new Set<(c: PendingCommit) => void>();
  private readonly maxObjectBytes: number;
  private readonly report: ProblemReporter;

  constructor(opts: StoreOptions = {}) {
    this.history = new EventHistory({
      maxEvents: opts.maxEvents ?? DEFAULT_HISTORY_LIMITS.maxEvents,
      maxBytes: opts.maxBytes ?? DEFAULT_HISTORY_LIMITS.maxBytes,
    });
    this.maxObjectBytes = opts.maxObjectBytes ?? MAX_ETCD_REQUEST_BYTES;
    this.report = opts.report ?? reportToStderr;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestResumableRv(): number {
    return this.history.compactedRv;
  }

  /** Events and bytes the history holds now. */
  get historySize(): { events: number; bytes: number } {
    return this.history.size;
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
    const state = this.history.rewind(resource, this.collection(resource), rv, objectKey);
    return state === 'expired' ? state : [...state.values()];
  }

  /** Names in one namespace of a collection, uncopied and unsorted (for namespace cleanup). */
  names(resource: string, namespace: string): string[] {
    const out: string[] = [];
    for (const o of this.collection(resource).values())
      if ((o.metadata?.namespace ?? '') === namespace) out.push(o.metadata.name);
    return out;
  }

  /** Resource keys that currently hold objects (for namespace cleanup). */
  resources(): string[] {
    return [...this.collections.keys()];
  }

  /** Whether any stored object has this uid. */
  hasUid(uid: string): boolean {
    return this.owners.has(uid);
  }

  /** Copies of the objects whose ownerReferences name `ownerUid`. */
  dependentsOf(ownerUid: string): Array<{ resource: string; object: K8sObject }> {
    return this.owners.dependents(ownerUid).flatMap(({ resource, key }) => {
      const o = this.collections.get(resource)?.get(key);
      return o ? [{ resource, object: structuredClone(o) }] : [];
    });
  }

  create(resource: string, obj: K8sObject): K8sObject {
    return this.commit('ADDED', resource, obj);
  }

  update(resource: string, obj: K8sObject): K8sObject {
    return this.commit('MODIFIED', resource, obj);
  }

  /** Removes the object; the DELETED event carries `lastState` with the deletion's resourceVersion. */
  remove(resource: string, lastState: K8sObject): K8sObject {
    if (!this.collection(resource).has(objectKey(lastState))) return structuredClone(lastState);
    return this.commit('DELETED', resource, lastState);
  }

  private commit(type: StoreEvent['type'], resource: string, obj: K8sObject): K8sObject {
    const key = objectKey(obj);
    const collection = this.collection(resource);
    const old = collection.get(key);
    // Everything that can fail happens before anything changes.
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(this.rv + 1);
    const json = JSON.stringify(stored);
    if (type !== 'DELETED' && etcdRequestBytes(`/registry/${resource}/${key}`, json, stored) > this.maxObjectBytes)
      throw new StorageTooLargeError();
    const event: StoreEvent = {
      type,
      rv: this.rv + 1,
      resource,
      object: stored,
      ...(old && type !== 'ADDED' ? { oldObject: old } : {}),
    };
    for (const hook of this.commitHooks) hook({ event, json });

    this.rv++;
    const ref = { resource, key };
    if (type === 'DELETED') {
      collection.delete(key);
      if (old) this.owners.remove(ref, old);
    } else {
      collection.set(key, stored);
      this.owners.set(ref, stored, old);
    }
    this.history.push(event, json.length);
    for (const l of this.listeners)
      runIsolated(`store listener (${type} ${resource} ${key})`, () => l(event), this.report);
    for (const h of this.changeHooks) runIsolated('store change hook', h, this.report);
    return structuredClone(stored);
  }

  /** Events after `rv` for one resource, or 'expired' when the history no longer reaches back that far. */
  eventsSince(resource: string, rv: number): StoreEvent[] | 'expired' {
    return this.history.since(resource, rv);
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onChange(hook: () => void): () => void {
    this.changeHooks.add(hook);
    return () => this.changeHooks.delete(hook);
  }

  /** Runs before every write is applied; throwing refuses the write (nothing is stored or announced). */
  beforeCommit(hook: (c: PendingCommit) => void): () => void {
    this.commitHooks.add(hook);
    return () => this.commitHooks.delete(hook);
  }

  snapshot(): StoreSnapshot {
    const objects: StoreSnapshot['objects'] = [];
    for (const [resource, c] of this.collections) for (const o of c.values()) objects.push({ resource, object: o });
    return { resourceVersion: this.rv, objects };
  }

  /** Restores a snapshot: no history survives, so watches from older versions get 410 and re-list. */
  load(s: StoreSnapshot): void {
    this.collections.clear();
    this.owners.clear();
    for (const { resource, object } of s.objects) {
      const stored = structuredClone(object);
      this.collection(resource).set(objectKey(stored), stored);
      this.owners.set({ resource, key: objectKey(stored) }, stored);
    }
    this.rv = s.resourceVersion;
    this.history.reset(s.resourceVersion);
  }
}
