// Renders docs/reference.md from the CRDs: one section per kind with its identity, a full example, a table of
// spec fields (type, default, constraints, description, examples), the printer columns and the status fields.
// Pure: the CRDs and the examples in, Markdown out.
import yaml from 'js-yaml';
import type { CustomResourceDefinition, JsonSchema } from '../operator/api/crd-definition.js';
import type { KindExamples } from './reference-examples.js';

export interface FieldRow {
  path: string;
  schema: JsonSchema;
  required: boolean;
}

/**
 * Every field below `root` (e.g. `spec`), depth first in schema order. An array is one row with its items'
 * constraints folded in; an array of objects also gets a row per item field (`status.conditions[].type`).
 */
export function collectFields(schema: JsonSchema, root: string): FieldRow[] {
  const rows: FieldRow[] = [];
  const walk = (node: JsonSchema, prefix: string) => {
    const required = new Set(node.required ?? []);
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = `${prefix}.${name}`;
      rows.push({ path, schema: child, required: required.has(name) });
      if (child.type === 'object' && child.properties) walk(child, path);
      const items = child.items as JsonSchema | undefined;
      if (child.type === 'array' && items?.type === 'object' && items.properties) walk(items, `${path}[]`);
    }
  };
  walk(schema, root);
  return rows;
}

function typeOf(s: JsonSchema): string {
  if (s.type === 'array') {
    const items = (s.items ?? {}) as JsonSchema;
    const kind = s['x-kubernetes-list-type'] === 'set' ? 'set' : 'array';
    return `${kind} of ${typeOf(items)}`;
  }
  return s.format ? `${s.type} (${s.format})` : String(s.type ?? 'any');
}

function constraints(s: JsonSchema): string[] {
  const out: string[] = [];
  const own = (x: JsonSchema, label: string) => {
    if (x.enum) out.push(`${label}one of ${x.enum.map((v) => code(String(v))).join(', ')}`);
    if (x.pattern) out.push(`${label}pattern ${code(String(x.pattern))}`);
    // x-kubernetes-validations: each rule's message is what kube-apiserver says when it fails.
    for (const r of (x['x-kubernetes-validations'] as Array<{ rule: string; message?: string }> | undefined) ?? [])
      out.push(`${label}${r.message ?? `must satisfy ${code(r.rule)}`}`);
    if (x.minLength !== undefined) out.push(`${label}min length ${x.minLength}`);
    if (x.maxLength !== undefined) out.push(`${label}max length ${x.maxLength}`);
    if (x.minimum !== undefined) out.push(`${label}minimum ${x.minimum}`);
    if (x.minItems !== undefined) out.push(`${label}min items ${x.minItems}`);
    if (x.maxItems !== undefined) out.push(`${label}max items ${x.maxItems}`);
  };
  own(s, '');
  if (s.type === 'array' && s.items) own(s.items as JsonSchema, 'items: ');
  return out;
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A table cell: pipes escaped, no newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function inline(value: unknown): string {
  return code(JSON.stringify(value));
}

function yamlBlock(obj: unknown): string {
  return '```yaml\n' + yaml.dump(obj, { lineWidth: 120, noRefs: true }) + '```';
}

function servedVersion(crd: CustomResourceDefinition) {
  const v = crd.spec.versions.find((x) => x.storage) ?? crd.spec.versions[0];
  if (!v) throw new Error(`CRD ${crd.metadata.name}: no versions`);
  return v;
}

/** Emissary's name for a field, by kind and field path (`spec.timeout` → `timeout_ms`); absent: no counterpart. */
export type EmissaryNames = Record<string, Record<string, string>>;

function renderKind(
  crd: CustomResourceDefinition,
  examples: KindExamples | undefined,
  emissary: Record<string, string>,
): string {
  const { names, group } = crd.spec;
  if (!examples)
    throw new Error(`docs/reference-examples.ts: no examples for kind ${names.kind} (CRD ${crd.metadata.name})`);
  const version = servedVersion(crd);
  const schema = version.schema.openAPIV3Schema;
  const spec = schema.properties?.spec;
  if (!spec) throw new Error(`CRD ${crd.metadata.name}: schema has no spec`);
  const lines: string[] = [];
  lines.push(`## ${names.kind}`, '');
  if (schema.description) lines.push(String(schema.description), '');
  lines.push(
    `- API: \`${group}/${version.name}\`, kind \`${names.kind}\`, ${crd.spec.scope === 'Namespaced' ? 'namespaced' : 'cluster-scoped'}`,
    `- Names: \`kubectl get ${names.plural}\`${(names.shortNames ?? []).map((s) => `, \`kubectl get ${s}\``).join('')}` +
      `${(names.categories ?? []).map((c) => `; category \`${c}\` (\`kubectl get ${c}\`)`).join('')}`,
    '',
    yamlBlock(examples.object),
    '',
    '### Spec',
    '',
    '| Field | Emissary | Type | Default | Description | Examples |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  const documented = new Set(Object.keys(examples.fields));
  for (const row of collectFields(spec as JsonSchema, 'spec')) {
    const values = examples.fields[row.path];
    if (!values || values.length === 0) {
      throw new Error(
        `docs/reference-examples.ts: ${names.kind} field ${row.path} has no example; add one to EXAMPLES.${names.kind}.fields`,
      );
    }
    documented.delete(row.path);
    const description = [
      String(row.schema.description ?? ''),
      ...constraints(row.schema).map((c) => `${c[0].toUpperCase()}${c.slice(1)}.`),
    ]
      .filter(Boolean)
      .join(' ');
    const dflt = row.schema.default !== undefined ? inline(row.schema.default) : row.required ? '**required**' : '—';
    lines.push(
      `| \`${row.path}\` | ${cell(emissary[row.path] ? code(emissary[row.path]) : '—')} | ${cell(typeOf(row.schema))} | ${cell(dflt)} | ${cell(description)} | ${cell(values.map(inline).join('<br>'))} |`,
    );
  }
  if (documented.size > 0) {
    throw new Error(
      `docs/reference-examples.ts: ${names.kind} has examples for fields not in the CRD: ${[...documented].join(', ')}`,
    );
  }
  lines.push('', '### `kubectl get` columns', '', '| Column | Shows | Only with `-o wide` |', '| --- | --- | --- |');
  for (const col of version.additionalPrinterColumns ?? []) {
    lines.push(`| ${col.name} | ${cell(code(col.jsonPath))} | ${col.priority ? 'yes' : ''} |`);
  }
  const status = schema.properties?.status as JsonSchema | undefined;
  if (status) {
    lines.push('', '### Status (written by the operator)', '', '| Field | Type | Description |', '| --- | --- | --- |');
    for (const row of collectFields(status, 'status')) {
      const description = [
        String(row.schema.description ?? ''),
        ...constraints(row.schema).map((c) => `${c[0].toUpperCase()}${c.slice(1)}.`),
      ]
        .filter(Boolean)
        .join(' ');
      lines.push(`| \`${row.path}\` | ${cell(typeOf(row.schema))} | ${cell(description)} |`);
    }
    lines.push('', 'For example:', '', yamlBlock({ status: examples.status }));
  }
  return lines.join('\n');
}

export function renderReference(
  crds: CustomResourceDefinition[],
  examples: Record<string, KindExamples>,
  emissary: EmissaryNames = {},
): string {
  const sorted = [...crds].sort((a, b) => a.spec.names.kind.localeCompare(b.spec.names.kind));
  const header = [
    '# Portico API reference',
    '',
    '<!-- Generated from crds/*.yaml by `npx tsx docs/generate-reference.ts`; do not edit by hand. -->',
    '',
    `Kinds: ${sorted.map((c) => `[${c.spec.names.kind}](#${c.spec.names.kind.toLowerCase()})`).join(', ')}. ` +
      'Every field below comes from the CRD schema that the API server enforces; a value that breaks a ' +
      'constraint is rejected by `kubectl apply` and by `portico validate`. The Emissary column names the ' +
      'Emissary/Ambassador field that `portico migrate` converts into it (— where Emissary has none).',
    '',
    'Every kind reports three conditions in `status.conditions`: `Accepted` (the spec is valid and does not ' +
      'conflict), `ResolvedRefs` (the Services and Secrets it names exist and fit), and `Programmed` (Envoy is ' +
      'serving it). A condition with status `False` carries a `reason` and a `message` saying why.',
    '',
  ];
  return (
    header.join('\n') +
    '\n' +
    sorted
      .map((crd) => renderKind(crd, examples[crd.spec.names.kind], emissary[crd.spec.names.kind] ?? {}))
      .join('\n\n') +
    '\n'
  );
}
