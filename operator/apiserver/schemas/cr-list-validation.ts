// x-kubernetes-list-type validation of custom resources (apiextensions-apiserver schema/listtype): items of a
// `set` list are unique, items of a `map` list are unique by their x-kubernetes-list-map-keys. Duplicates are
// 422 `Duplicate value` errors at the later index, the value printed as Go's %#v prints it.
import type { FieldError } from '../encoding/status-errors.js';

type Schema = Record<string, any>;

/** Go's %#v of a JSON value decoded into interface{}: strings quoted, maps as map[string]interface {}{…}. */
function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`;
  if (typeof v === 'object') {
    const entries = Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${goValue((v as Record<string, unknown>)[k])}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  return String(v);
}

function duplicates(items: unknown[], identity: (item: unknown) => string | undefined, field: string, shown: (item: unknown) => unknown): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  items.forEach((item, i) => {
    const id = identity(item);
    if (id === undefined) return;
    if (seen.has(id)) errs.push({ type: 'FieldValueDuplicate', field: `${field}[${i}]`, valueText: goValue(shown(item)) });
    seen.add(id);
  });
  return errs;
}

export function validateListTypes(value: unknown, s: Schema | undefined, field: string): FieldError[] {
  if (!s || value === null || typeof value !== 'object') return [];
  const errs: FieldError[] = [];
  if (Array.isArray(value)) {
    const t = s['x-kubernetes-list-type'];
    if (t === 'set') errs.push(...duplicates(value, (item) => JSON.stringify(item), field, (item) => item));
    if (t === 'map') {
      const keys: string[] = s['x-kubernetes-list-map-keys'] ?? [];
      const keyOf = (item: unknown): Record<string, unknown> =>
        Object.fromEntries(keys.filter((k) => item && typeof item === 'object' && k in (item as object)).map((k) => [k, (item as Record<string, unknown>)[k]]));
      errs.push(...duplicates(value, (item) => (item && typeof item === 'object' ? JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k])) : undefined), field, keyOf));
    }
    value.forEach((item, i) => errs.push(...validateListTypes(item, s.items, `${field}[${i}]`)));
    return errs;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const child = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    errs.push(...validateListTypes(v, child, field ? `${field}.${k}` : k));
  }
  return errs;
}
