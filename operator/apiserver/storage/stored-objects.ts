// What the store holds and announces, apart from the store itself, so the store's parts (history, owner index,
// size limits) and its readers can name these without importing the store: an object as JSON, its key, the
// key order etcd lists in, a change event, a pending commit and a snapshot.

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

/** What a commit hook sees: the event about to happen and the object's JSON (computed once per write). */
export interface PendingCommit {
  event: StoreEvent;
  json: string;
}

export interface StoreSnapshot {
  resourceVersion: number;
  objects: Array<{ resource: string; object: K8sObject }>;
}

export function objectKey(obj: K8sObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
}

/** etcd orders keys bytewise, not by locale: 'a-b' < 'a.b' < 'a0' < 'ab'. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
