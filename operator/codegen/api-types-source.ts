// crds/*.yaml → the source of operator/api/types.ts: one interface per kind, its spec and its status, with the
// schema's descriptions as doc comments, so a field added to a CRD needs no second edit. Pure (text in, text out).
//
// Types are structural (string, number, boolean, arrays, objects, string enums as unions). A few schema nodes get
// a name of their own (NAMED, below), and the condition type keeps the union of the types Portico writes
// (ConditionType, in operator/api/object-types.ts) where the schema allows any condition type.
import type { CustomResourceDefinition, JsonSchema } from '../api/crd-definition.js';

/** Schema nodes, by `Kind.path` (`[]` for array items), that become named types instead of inline ones. */
const NAMED: Record<string, { name: string; doc?: string }> = {
  'TLSContext.spec.minTlsVersion': {
    name: 'TlsVersion',
    doc: 'TLS 1.0 and 1.1 are not offered (RFC 8996 deprecates them); see docs/security.md.',
  },
  'TLSContext.spec.maxTlsVersion': { name: 'TlsVersion' },
  'PorticoReferenceGrant.spec.from[]': {
    name: 'ReferenceGrantFrom',
    doc: 'Who may refer (spec.from of a PorticoReferenceGrant).',
  },
  'PorticoReferenceGrant.spec.to[]': {
    name: 'ReferenceGrantTo',
    doc: "What they may refer to, in the grant's own namespace (spec.to).",
  },
  'Mapping.status.conditions[]': {
    name: 'Condition',
    doc: 'metav1.Condition, except that lastTransitionTime is optional: the pure compiler has no clock, and reconcile always sets it before writing.',
  },
  'TLSContext.status.conditions[]': { name: 'Condition' },
};

/** Schema nodes whose TypeScript type is narrower than the schema's, by `Kind.path`. */
const NARROWED: Record<string, string> = {
  'Mapping.status.conditions[].type': 'ConditionType',
  'TLSContext.status.conditions[].type': 'ConditionType',
};

const WIDTH = 118;

interface Declarations {
  /** Named types in the order first met: the declaration without its doc comment, and the doc. */
  named: Map<string, { declaration: string; doc?: string }>;
}

function docComment(text: string | undefined, indent: string): string {
  if (!text) return '';
  const words = text.replace(/\*\//g, '*\\/').split(/\s+/).filter(Boolean);
  const oneLine = `${indent}/** ${words.join(' ')} */`;
  if (oneLine.length <= WIDTH) return `${oneLine}\n`;
  const lines: string[] = [];
  let line = `${indent} *`;
  for (const w of words) {
    if (line.length + 1 + w.length > WIDTH && line !== `${indent} *`) {
      lines.push(line);
      line = `${indent} *`;
    }
    line += ` ${w}`;
  }
  lines.push(line);
  return `${indent}/**\n${lines.join('\n')}\n${indent} */\n`;
}

function typeOf(schema: JsonSchema, path: string, decls: Declarations, indent: string): string {
  const narrowed = NARROWED[path];
  if (narrowed) return narrowed;
  const named = NAMED[path];
  if (named) {
    const body = structuralType(schema, path, decls, '');
    const declaration = isObjectType(schema)
      ? `export interface ${named.name} ${body}\n`
      : `export type ${named.name} = ${body};\n`;
    const seen = decls.named.get(named.name);
    if (seen && seen.declaration !== declaration)
      throw new Error(`codegen: ${named.name} is declared twice with different shapes (at ${path})`);
    decls.named.set(named.name, { declaration, doc: seen?.doc ?? named.doc });
    return named.name;
  }
  return structuralType(schema, path, decls, indent);
}

const isObjectType = (s: JsonSchema): boolean => s.type === 'object' && !!s.properties;

function structuralType(schema: JsonSchema, path: string, decls: Declarations, indent: string): string {
  if (schema['x-kubernetes-int-or-string']) return 'number | string';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v).replace(/"/g, "'")).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'number':
      return 'number';
    case 'array': {
      if (!schema.items) throw new Error(`codegen: ${path} is an array without items`);
      const item = typeOf(schema.items, `${path}[]`, decls, indent);
      return /[ |]/.test(item) && !item.startsWith('{') ? `Array<${item}>` : `${item}[]`;
    }
    case 'object': {
      if (!schema.properties) {
        const values = schema.additionalProperties;
        return values && typeof values === 'object'
          ? `Record<string, ${typeOf(values as JsonSchema, `${path}{}`, decls, indent)}>`
          : 'Record<string, unknown>';
      }
      return objectBody(schema, path, decls, indent);
    }
    default:
      throw new Error(`codegen: ${path} has no type the generator knows (${String(schema.type)})`);
  }
}

function objectBody(schema: JsonSchema, path: string, decls: Declarations, indent: string): string {
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(
    ([key, prop]) =>
      `${docComment(prop.description, inner)}${inner}${key}${required.has(key) ? '' : '?'}: ${typeOf(prop, `${path}.${key}`, decls, inner)};\n`,
  );
  return `{\n${fields.join('')}${indent}}`;
}

function servedVersion(crd: CustomResourceDefinition) {
  const v = crd.spec.versions.find((x) => x.storage) ?? crd.spec.versions[0];
  if (!v) throw new Error(`codegen: CRD ${crd.metadata.name} has no version`);
  return v;
}

/** The text of operator/api/types.ts for these CRDs (sorted as given). */
export function renderApiTypes(crds: readonly CustomResourceDefinition[]): string {
  if (crds.length === 0) throw new Error('codegen: no CRDs');
  const groups = new Set(crds.map((c) => `${c.spec.group}/${servedVersion(c).name}`));
  if (groups.size !== 1) throw new Error(`codegen: the CRDs disagree on group/version: ${[...groups].join(', ')}`);
  const [group, version] = [...groups][0].split('/');
  const decls: Declarations = { named: new Map() };
  const kinds: string[] = [];
  for (const crd of crds) {
    const kind = crd.spec.names.kind;
    const schema = servedVersion(crd).schema.openAPIV3Schema;
    const props = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    let out = '';
    const parts: string[] = [];
    for (const part of ['spec', 'status'] as const) {
      const s = props[part];
      if (!s) continue;
      out += `${docComment(s.description, '')}export interface ${kind}${part === 'spec' ? 'Spec' : 'Status'} ${typeOf(s, `${kind}.${part}`, decls, '')}\n\n`;
      parts.push(`  ${part}${required.has(part) ? '' : '?'}: ${kind}${part === 'spec' ? 'Spec' : 'Status'};\n`);
    }
    const extraProps = Object.keys(props).filter(
      (k) => !['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(k),
    );
    if (extraProps.length > 0)
      throw new Error(`codegen: ${kind} has top-level fields the generator does not place: ${extraProps.join(', ')}`);
    out += `${docComment(schema.description, '')}export interface ${kind} {\n  apiVersion: typeof API_VERSION;\n  kind: '${kind}';\n  metadata: ObjectMeta;\n${parts.join('')}}\n`;
    kinds.push(out);
  }
  const header = [
    '// GENERATED from crds/*.yaml by `npm run generate:api` (operator/codegen/): do not edit. A change to the API is',
    '// a change to its CRD; test/codegen/generated-files.test.ts fails while this file is not regenerated. The types the',
    '// CRDs do not declare (ObjectMeta, Service, Secret, ConditionType) are operator/api/object-types.ts.',
    "import type { ConditionType, ObjectMeta } from './object-types.js';",
    '',
    "export type { ConditionType, ObjectMeta, Secret, Service } from './object-types.js';",
    '',
    `export const GROUP = '${group}';`,
    `export const VERSION = '${version}';`,
    'export const API_VERSION = `${GROUP}/${VERSION}`;',
    '',
  ].join('\n');
  const named = [...decls.named.values()].map((d) => `${docComment(d.doc, '')}${d.declaration}`);
  return `${header}\n${named.join('\n')}\n${kinds.join('\n')}`;
}
