// Strict field validation of Portico objects, as kube-apiserver does it before any schema check when a client
// asks for fieldValidation=Strict (kubectl's default): a field the object cannot hold is a 400, not silently
// pruned. The errors and their order are the server's (apiextensions-apiserver customresource_handler.go):
// duplicate fields as the JSON decoder meets them (sigs.k8s.io/json), then the fields ObjectMeta's Go type does
// not have, then the fields the CRD schema does not have, sorted (structural pruning):
//   Mapping in version "v1alpha1" cannot be handled as a Mapping: strict decoding error: duplicate field
//   "spec.prefix", unknown field "metadata.lables", unknown field "spec.timeout_ms"
// A YAML file's duplicate keys are found with the `yaml` parser, which keeps them (js-yaml refuses the file).
// kubectl itself drops all but the last of duplicate YAML keys before sending (kubernetes/kubernetes#99286),
// so `portico validate` reports what the API server says when it sees them, rather than keeping a silent
// last-one-wins.
import { isMap, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import type { JsonSchema } from './crd-definition.js';
import { crdSchema } from './crds.js';

/** The JSON fields of metav1.ObjectMeta, OwnerReference and ManagedFieldsEntry. */
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);
const OWNER_REFERENCE_FIELDS: ReadonlySet<string> = new Set([
  'apiVersion',
  'kind',
  'name',
  'uid',
  'controller',
  'blockOwnerDeletion',
]);
const MANAGED_FIELDS_ENTRY_FIELDS: ReadonlySet<string> = new Set([
  'manager',
  'operation',
  'apiVersion',
  'time',
  'fieldsType',
  'fieldsV1',
  'subresource',
]);

/** Paths of the fields in `meta` (at `path`, e.g. `metadata`) that ObjectMeta does not have, in their order. */
export function objectMetaUnknownFields(meta: unknown, path = 'metadata'): string[] {
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return [];
  const out: string[] = [];
  const check = (obj: object, fields: ReadonlySet<string>, at: string) => {
    for (const key of Object.keys(obj)) if (!fields.has(key)) out.push(`${at}.${key}`);
  };
  check(meta, OBJECT_META_FIELDS, path);
  const m = meta as Record<string, unknown>;
  for (const [list, fields] of [
    ['ownerReferences', OWNER_REFERENCE_FIELDS],
    ['managedFields', MANAGED_FIELDS_ENTRY_FIELDS],
  ] as const) {
    const items = m[list];
    if (Array.isArray(items))
      items.forEach(
        (item, i) =>
          item && typeof item === 'object' && !Array.isArray(item) && check(item, fields, `${path}.${list}[${i}]`),
      );
  }
  return out;
}

/** Paths of the fields the CRD schema does not have (what structural pruning drops), sorted. */
export function schemaUnknownFields(obj: unknown, schema: JsonSchema): string[] {
  const out: string[] = [];
  const walk = (value: unknown, s: JsonSchema | undefined, path: string, root: boolean) => {
    if (!s || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, s.items, `${path}[${i}]`, false));
      return;
    }
    if (s['x-kubernetes-preserve-unknown-fields'] === true && !s.properties) return;
    const additional = s.additionalProperties as JsonSchema | boolean | undefined;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const child = path ? `${path}.${key}` : key;
      if (root && (key === 'metadata' || key === 'apiVersion' || key === 'kind')) continue;
      if (s.properties && key in s.properties) walk(v, s.properties[key], child, false);
      else if (additional && typeof additional === 'object') walk(v, additional, child, false);
      else if (additional !== true && s['x-kubernetes-preserve-unknown-fields'] !== true) out.push(child);
    }
  };
  walk(obj, schema, '', true);
  return out.sort();
}

/** A document of a YAML file as the strict decoder sees it: the object (last duplicate wins) and its duplicates. */
export interface DecodedDocument {
  object: unknown;
  /** Paths of duplicate keys, e.g. `spec.prefix`, in the order they occur. */
  duplicates: string[];
}

function duplicatesIn(node: YamlNode | null | undefined, path: string, out: string[]): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const child = path ? `${path}.${key}` : key;
      if (seen.has(key)) out.push(child);
      seen.add(key);
      duplicatesIn(pair.value as YamlNode | null, child, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => duplicatesIn(item as YamlNode | null, `${path}[${i}]`, out));
  }
}

/** Every document of a YAML (or JSON) text, with its duplicate keys; `kind: List` items become documents. */
export function decodeDocuments(text: string): DecodedDocument[] {
  const out: DecodedDocument[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
    if (Array.isArray(doc) || doc.errors.length > 0) continue; // syntax errors are reported by the main reader
    const object = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (object === null || object === undefined) continue;
    const contents = doc.contents as YamlNode | null;
    if (
      (object as { kind?: unknown }).kind === 'List' &&
      Array.isArray((object as { items?: unknown }).items) &&
      isMap(contents)
    ) {
      const items = contents.items.find((p) => isScalar(p.key) && p.key.value === 'items')?.value;
      if (isSeq(items)) {
        items.items.forEach((item, i) => {
          const duplicates: string[] = [];
          duplicatesIn(item as YamlNode, '', duplicates);
          out.push({ object: (object as { items: unknown[] }).items[i], duplicates });
        });
        continue;
      }
    }
    const duplicates: string[] = [];
    duplicatesIn(contents, '', duplicates);
    out.push({ object, duplicates });
  }
  return out;
}

/** The strict decoding errors of one object of a Portico kind ([] when it decodes cleanly). */
export function strictDecodingErrors(kind: string, doc: DecodedDocument): string[] {
  const obj = doc.object as { metadata?: unknown };
  return [
    ...doc.duplicates.map((p) => `duplicate field "${p}"`),
    ...objectMetaUnknownFields(obj.metadata).map((p) => `unknown field "${p}"`),
    ...schemaUnknownFields(obj, crdSchema(kind)).map((p) => `unknown field "${p}"`),
  ];
}
