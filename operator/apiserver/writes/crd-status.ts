// What the apiextensions controllers write into a CRD's status: names accepted and Established, at once.
import { recordUpdate } from './patch-operations.js';
import type { ResourceType } from '../registry/resource-types.js';

export function establishedCrdStatus(crd: Record<string, any>, now: string): Record<string, any> {
  const names = crd.spec?.names ?? {};
  const storage = (crd.spec?.versions ?? []).find((v: any) => v.storage)?.name;
  const previous: string[] = crd.status?.storedVersions ?? [];
  return {
    acceptedNames: {
      plural: names.plural,
      singular: names.singular ?? String(names.kind ?? '').toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      ...(names.categories ? { categories: names.categories } : {}),
    },
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: now,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: now,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: storage && !previous.includes(storage) ? [...previous, storage] : previous,
  };
}

/**
 * Sets a CRD's status the way the real server gets there: the strategy records storedVersions (owned by
 * nobody), then the naming and establishing controllers update /status with manager "kube-apiserver".
 */
export function withControllerStatus(
  rt: ResourceType,
  crd: Record<string, any>,
  status: Record<string, any>,
  now: Date,
): Record<string, any> {
  const before = structuredClone(crd);
  before.status = { ...(crd.status ?? {}), storedVersions: status.storedVersions };
  const after = structuredClone(before);
  after.status = status;
  return recordUpdate(rt, before, after, 'kube-apiserver', now, 'status');
}
