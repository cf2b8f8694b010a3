// Which documents `portico migrate` reads, and how: Emissary's CRD objects (getambassador.io/*: Mapping,
// TLSContext, Host, and the kinds with no counterpart, reported as such), and the annotation era: a Service whose
// getambassador.io/config annotation holds YAML documents (apiVersion ambassador/v0 or v1, or getambassador.io/*)
// in Ambassador 0.x's flat form (name, prefix, service, … at the top level). Anything else is not Emissary's and
// is left out. Pure (YAML text in the annotation is parsed here; the files are read by cli/migrate.ts).
import { parseAllDocuments } from 'yaml';
import type { EmissaryObject } from './convert-mapping.js';

export interface SourceDocument {
  object: unknown;
  /** `file:line` of the document. */
  source: string;
}

export interface EmissarySource extends EmissaryObject {
  source: string;
}

/** Input `portico migrate` cannot read: the message names the file and line. */
export class MigrateInputError extends Error {}

export const CONFIG_ANNOTATION = 'getambassador.io/config';

const isEmissaryApi = (v: unknown): v is string =>
  typeof v === 'string' && (v.startsWith('getambassador.io/') || v.startsWith('ambassador/'));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function fromCrd(o: Obj, source: string): EmissarySource {
  const meta = isObj(o.metadata) ? o.metadata : {};
  return {
    apiVersion: String(o.apiVersion),
    kind: String(o.kind),
    name: typeof meta.name === 'string' ? meta.name : '',
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default',
    fields: isObj(o.spec) ? o.spec : {},
    source,
  };
}

/** The documents of one Service's getambassador.io/config annotation (YAML inside YAML). */
function fromAnnotation(service: Obj, text: string, source: string): EmissarySource[] {
  const meta = service.metadata as Obj;
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default';
  const where = `${source} (Service ${namespace}/${String(meta.name)}, annotation ${CONFIG_ANNOTATION}`;
  const out: EmissarySource[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (Array.isArray(doc)) return;
    const error = doc.errors[0];
    if (error)
      throw new MigrateInputError(`${where}, line ${error.linePos?.[0]?.line ?? 0}): ${error.message.split('\n')[0]}`);
    const o = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (o === null || o === undefined) return;
    if (!isObj(o) || !isEmissaryApi(o.apiVersion))
      throw new MigrateInputError(
        `${where}, document ${i + 1}): not an Ambassador document (apiVersion ambassador/v0, ambassador/v1 or getambassador.io/*)`,
      );
    out.push(fromFlat(o, namespace, `${String(meta.name)}-${i + 1}`, `${where}, document ${i + 1})`));
  });
  return out;
}

/** Ambassador 0.x's flat form (name, prefix, service, … at the top level), or a CRD-shaped spec inside it. */
function fromFlat(o: Obj, namespace: string, fallbackName: string, source: string): EmissarySource {
  const { apiVersion, kind, name, namespace: ns, ...fields } = o;
  const flat = isObj(o.spec) && Object.keys(fields).length === 1 ? (o.spec as Obj) : fields;
  return {
    apiVersion: String(apiVersion),
    kind: String(kind),
    name: typeof name === 'string' ? name : fallbackName,
    namespace: typeof ns === 'string' && ns !== '' ? ns : namespace,
    fields: flat,
    source,
  };
}

/** The Emissary objects among `docs`, in order, and how many documents were not Emissary's. */
export function emissaryObjects(docs: readonly SourceDocument[]): { objects: EmissarySource[]; ignored: number } {
  const objects: EmissarySource[] = [];
  let ignored = 0;
  for (const { object, source } of docs) {
    if (!isObj(object)) {
      ignored++;
      continue;
    }
    if (isEmissaryApi(object.apiVersion)) {
      objects.push(
        isObj(object.metadata)
          ? fromCrd(object, source)
          : fromFlat(object, 'default', String(object.kind).toLowerCase(), source),
      );
      continue;
    }
    const annotations = isObj(object.metadata) && isObj(object.metadata.annotations) ? object.metadata.annotations : {};
    const config = annotations[CONFIG_ANNOTATION];
    if (object.kind === 'Service' && typeof config === 'string')
      objects.push(...fromAnnotation(object, config, source));
    else ignored++;
  }
  return { objects, ignored };
}
