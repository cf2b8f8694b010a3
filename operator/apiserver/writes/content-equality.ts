// Structural equality of JSON values, key order ignored: decides no-op writes and generation bumps.

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ak = Object.keys(a as object).filter((k) => (a as any)[k] !== undefined);
  const bk = Object.keys(b as object).filter((k) => (b as any)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => jsonEqual((a as any)[k], (b as any)[k]));
}

/** Everything but metadata: a change here bumps metadata.generation. */
export function withoutMetadata(obj: Record<string, any>): Record<string, any> {
  const { metadata: _m, ...rest } = obj;
  return rest;
}

/** The stored bytes minus resourceVersion and managedFields timestamps: equal means a no-op write. */
export function comparableState(obj: Record<string, any>): Record<string, any> {
  const metadata = { ...obj.metadata };
  delete metadata.resourceVersion;
  if (Array.isArray(metadata.managedFields)) metadata.managedFields = metadata.managedFields.map(({ time: _t, ...rest }: any) => rest);
  return { ...obj, metadata };
}
