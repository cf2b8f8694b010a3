// What a write compares (with api/json-equality.ts) to decide a no-op write or a generation bump.

/** Everything but metadata: a change here bumps metadata.generation. */
export function withoutMetadata(obj: Record<string, any>): Record<string, any> {
  const { metadata: _m, ...rest } = obj;
  return rest;
}

/** The stored bytes minus resourceVersion and managedFields timestamps: equal means a no-op write. */
export function comparableState(obj: Record<string, any>): Record<string, any> {
  const metadata = { ...obj.metadata };
  delete metadata.resourceVersion;
  if (Array.isArray(metadata.managedFields))
    metadata.managedFields = metadata.managedFields.map(({ time: _t, ...rest }: any) => rest);
  return { ...obj, metadata };
}
