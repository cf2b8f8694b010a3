// Indexes of the store by uid and by owner uid, so the garbage collector and orphaning find an object's
// dependents (and whether an owner still exists) without scanning every object: deleting 2,000 Mappings
// used to cost 2,000 full scans.
import type { K8sObject } from './stored-objects.js';

export interface StoredRef {
  resource: string;
  key: string;
}

const refId = (r: StoredRef): string => `${r.resource}\u0000${r.key}`;

function ownerUids(obj: K8sObject): string[] {
  const refs = obj.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.map((r: any) => r?.uid).filter((u: unknown): u is string => typeof u === 'string' && u !== '');
}

export class OwnerIndex {
  private readonly byUid = new Map<string, StoredRef>();
  private readonly byOwner = new Map<string, Map<string, StoredRef>>();

  /** Records `obj` at `ref`, replacing what `old` (the previous state there) recorded. */
  set(ref: StoredRef, obj: K8sObject, old?: K8sObject): void {
    if (old) this.remove(ref, old);
    const uid = obj.metadata?.uid;
    if (typeof uid === 'string' && uid) this.byUid.set(uid, ref);
    for (const owner of ownerUids(obj)) {
      let deps = this.byOwner.get(owner);
      if (!deps) this.byOwner.set(owner, (deps = new Map()));
      deps.set(refId(ref), ref);
    }
  }

  remove(ref: StoredRef, obj: K8sObject): void {
    const uid = obj.metadata?.uid;
    if (typeof uid === 'string' && this.byUid.get(uid)?.key === ref.key) this.byUid.delete(uid);
    for (const owner of ownerUids(obj)) {
      const deps = this.byOwner.get(owner);
      deps?.delete(refId(ref));
      if (deps?.size === 0) this.byOwner.delete(owner);
    }
  }

  has(uid: string): boolean {
    return this.byUid.has(uid);
  }

  dependents(ownerUid: string): StoredRef[] {
    return [...(this.byOwner.get(ownerUid)?.values() ?? [])];
  }

  clear(): void {
    this.byUid.clear();
    this.byOwner.clear();
  }
}
