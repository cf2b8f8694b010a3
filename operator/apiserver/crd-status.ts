// What the apiextensions controllers write into a CRD's status: names accepted and Established, at once.

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
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: now, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ],
    storedVersions: storage && !previous.includes(storage) ? [...previous, storage] : previous,
  };
}
