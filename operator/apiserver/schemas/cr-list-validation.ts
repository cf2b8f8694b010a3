// x-kubernetes-list-type validation of custom resources (apiextensions-apiserver schema/listtype): items of a
// `set` list are unique, items of a `map` list are unique by their x-kubernetes-list-map-keys. Duplicates are
// 422 `Duplicate value` errors at the later index, the value printed as kube-apiserver 1.36 prints it: JSON
// (encoding/json, so map keys sorted), e.g. `Duplicate value: {"name":"a","port":80}` for a map list's keys.
import type { FieldError } from '../encoding/status-errors.js';

type Schema = Record<string, any>;

/** A JSON value as Go's encoding/json writes it: compact, object keys sorted. */
function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

function duplicates(
  items: unknown[],
  identity: (item: unknown) => string | undefined,
  field: string,
  shown: (item: unknown) => unknown,
): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  items.forEach((item, i) => {
    const id = identity(item);
    if (id === undefined) return;
    if (seen.has(id))
      errs.push({ type: 'FieldValueDuplicate', field: `${field}[${i}]`, valueText: goJson(shown(item)) });
    seen.add(id);
  });
  return errs;
}

export function validateListTypes(value: unknown, s: Schema | undefined, field: string): FieldError[] {
  if (!s || value === null || typeof value !== 'object') return [];
  const errs: FieldError[] = [];
  if (Array.isArray(value)) {
    const t = s['x-kubernetes-list-type'];
    if (t === 'set')
      errs.push(
        ...duplicates(
          value,
          (item) => JSON.stringify(item),
          field,
          (item) => item,
        ),
      );
    if (t === 'map') {
      const keys: string[] = s['x-kubernetes-list-map-keys'] ?? [];
      const keyOf = (item: unknown): Record<string, unknown> =>
        Object.fromEntries(
          keys
            .filter((k) => item && typeof item === 'object' && k in (item as object))
            .map((k) => [k, (item as Record<string, unknown>)[k]]),
        );
      errs.push(
        ...duplicates(
          value,
          (item) =>
            item && typeof item === 'object'
              ? JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k]))
              : undefined,
          field,
          keyOf,
        ),
      );
    }
    value.forEach((item, i) => errs.push(...validateListTypes(item, s.items, `${field}[${i}]`)));
    return errs;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const child =
      s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    errs.push(...validateListTypes(v, child, field ? `${field}.${k}` : k));
  }
  return errs;
}
