// `portico migrate`'s conversion: Emissary objects in, Portico objects and one report per source object out.
// Pure: cli/migrate.ts reads the files and prints.
import { convertMapping, type Converted } from './convert-mapping.js';
import { convertHost, convertTlsContext } from './convert-tls.js';
import { dropped, type ObjectReport } from './report.js';
import { emissaryObjects, type EmissarySource, type SourceDocument } from './sources.js';
import { UNSUPPORTED_MAPPING_FIELDS } from '../compile/unsupported-fields.js';
import { validateMappingObject, validateTLSContextObject } from '../api/validators.js';

export { MigrateInputError, type SourceDocument } from './sources.js';
export { anythingDropped, formatReport, type ObjectReport } from './report.js';

export interface MigrateResult {
  objects: Record<string, unknown>[];
  reports: ObjectReport[];
  /** Documents that were not Emissary's (Deployments, Services without the annotation, …). */
  ignored: number;
}

export interface MigrateOptions {
  /** Portico Mapping fields the operator does not implement yet; default compile/unsupported-fields.ts's list. */
  unservedMappingFields?: readonly string[];
}

function convert(src: EmissarySource, unserved: ReadonlySet<string>): Converted {
  switch (src.kind) {
    case 'Mapping':
      return convertMapping(src, unserved);
    case 'TLSContext':
      return convertTlsContext(src);
    case 'Host':
      return convertHost(src);
    default:
      return { notes: [dropped('(object)', `kind ${src.kind} has no counterpart in Portico; nothing is written`)] };
  }
}

const describe = (o: { kind: string; namespace: string; name: string }) => `${o.kind} ${o.namespace}/${o.name}`;

export function migrate(docs: readonly SourceDocument[], options: MigrateOptions = {}): MigrateResult {
  const unserved = new Set(options.unservedMappingFields ?? UNSUPPORTED_MAPPING_FIELDS);
  const { objects: sources, ignored } = emissaryObjects(docs);
  const objects: Record<string, unknown>[] = [];
  const reports: ObjectReport[] = [];
  for (const src of sources) {
    const converted = convert(src, unserved);
    const { notes } = converted;
    let object = converted.object;
    // A safety net: what the API server would refuse is reported, not written.
    const errors = object
      ? object.kind === 'Mapping'
        ? validateMappingObject(object)
        : validateTLSContextObject(object)
      : [];
    if (errors.length > 0) {
      notes.push(
        dropped(
          '(object)',
          `the Portico object would be refused (${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}); nothing is written`,
        ),
      );
      object = undefined;
    }
    const to: string[] = [];
    if (object) {
      objects.push(object);
      const meta = object.metadata as { name: string; namespace: string };
      to.push(describe({ kind: String(object.kind), ...meta }));
    }
    reports.push({ source: src.source, from: `${describe(src)} (${src.apiVersion})`, to, notes });
  }
  return { objects, reports, ignored };
}
