// One Emissary Mapping (a CRD's spec, or an annotation document's fields) → one Portico Mapping, with a note for
// every field. The match, the service and the host are converted here; the other fields by mapping-fields.ts.
// Emissary's defaults that differ from Portico's are written out, so behaviour does not change silently:
// the route timeout (3s in Emissary, Envoy's 15s in Portico) and the service port (80, or 443 for https://, in
// Emissary; the Service's only port in Portico). Pure.
import { carried, changed, dropped, type FieldNote } from './report.js';
import { convertMappingField, notServedYet, type MappingDraft } from './mapping-fields.js';
import { UNSUPPORTED_MAPPING_FIELDS } from '../compile/unsupported-fields.js';
import { parseServiceRef } from '../api/service-ref.js';
import { pathFormProblem } from '../compile/path-form.js';

export interface EmissaryObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  /** The spec (CRDs) or the document's own fields (annotations), snake_case as Emissary writes them. */
  fields: Record<string, unknown>;
}

export interface Converted {
  object?: Record<string, unknown>;
  notes: FieldNote[];
}

/** Emissary's route timeout when timeout_ms is not set (docs: timeouts.md; ir/irhttpmapping.py). */
export const EMISSARY_ROUTE_TIMEOUT_MS = 3000;

const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A Kubernetes object name from an annotation-era name (`httpbin_mapping` → `httpbin-mapping`). */
export function kubernetesName(name: string): string {
  const n = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return (n || 'mapping').slice(0, 253);
}

/** Emissary's `service` with its default port written out: `quote` → `quote:80`, `https://billing` → `https://billing:443`. */
function convertService(v: unknown, namespace: string, notes: FieldNote[]): string | undefined {
  if (typeof v !== 'string' || v === '') {
    notes.push(dropped('service', `${show(v)} is not a service`));
    return undefined;
  }
  const m = /^(?:([a-z]+):\/\/)?(\[[^\]]+\]|[^:/]+)(?::([^/]+))?(\/.*)?$/i.exec(v);
  if (!m || (m[1] && !/^https?$/i.test(m[1])) || m[4]) {
    notes.push(dropped('service', `${v} is not [http://|https://]name[.namespace][:port]`));
    return undefined;
  }
  const port = m[1]?.toLowerCase() === 'https' ? 443 : 80;
  const out = m[3] ? v : `${v}:${port}`;
  const parsed = parseServiceRef(out, namespace);
  if (!parsed.ok) {
    notes.push(
      dropped(
        'service',
        `${v}: Portico ${parsed.message.replace(/^invalid value "[^"]*": /, 'refuses it: ')}; nothing is written`,
      ),
    );
    return undefined;
  }
  if (m[3]) notes.push(carried('service', 'service'));
  else
    notes.push(
      changed(
        'service',
        `${v} → service: ${out} (Emissary's default port, written out: Portico would take the Service's only port)`,
      ),
    );
  if (parsed.value.dnsLike) {
    notes.push(
      dropped(
        'service',
        `${v} was the DNS name ${parsed.value.dnsLike} to Emissary; Portico reads it as Service ${parsed.value.name} in namespace ${parsed.value.namespace}, so point an ExternalName Service there`,
      ),
    );
  }
  return out;
}

/** v3alpha1 `hostname` (a DNS glob) or v2 `host` (exact) → Portico's host (exact or "*." wildcard), or none. */
function convertHost(fields: Record<string, unknown>, notes: FieldNote[], spec: Record<string, unknown>): void {
  const hostname = fields.hostname;
  const host = fields.host;
  if (hostname !== undefined && host !== undefined)
    notes.push(dropped('host', `hostname ${show(hostname)} is set too, and wins (as in Emissary)`));
  const field = hostname !== undefined ? 'hostname' : 'host';
  const value = hostname ?? host;
  if (fields.host_regex === true && host !== undefined && hostname === undefined)
    notes.push(
      dropped('host_regex', 'true: Portico matches hosts exactly or by a "*." wildcard, not by regular expression'),
    );
  else if (fields.host_regex !== undefined)
    notes.push(carried('host_regex', `${show(fields.host_regex)}: nothing to write`));
  if (value === undefined) return;
  if (typeof value !== 'string') return void notes.push(dropped(field, `${show(value)} is not a host name`));
  if (fields.host_regex === true && field === 'host')
    return void notes.push(
      dropped(
        field,
        `${value}: a regular expression (host_regex), and Portico matches hosts exactly or by a "*." wildcard`,
      ),
    );
  if (value === '*' && field === 'hostname')
    return void notes.push(carried(field, 'no host: the Mapping serves every host'));
  const lower = value.toLowerCase();
  const wildcard = lower.startsWith('*.') && field === 'hostname';
  if (!HOST.test(wildcard ? lower.slice(2) : lower))
    return void notes.push(
      dropped(field, `${value} is not a host Portico can match (an exact host name or "*." followed by one)`),
    );
  spec.host = lower;
  notes.push(
    lower === value
      ? carried(field, 'host')
      : changed(field, `${value} → host: ${lower} (host names are matched in lower case)`),
  );
}

/**
 * The fields that decide which requests a Mapping matches, or its share of them. A Mapping that loses one is not
 * written: a host-less copy of a host_regex Mapping would join the catch-all's group and take half its traffic.
 */
const MATCH_FIELDS = new Set([
  'host',
  'hostname',
  'host_regex',
  'method',
  'method_regex',
  'headers',
  'regex_headers',
  'query_parameters',
  'regex_query_parameters',
  'prefix_regex',
  'prefix_exact',
  'case_sensitive',
  'precedence',
  'weight',
  'shadow',
]);

const HANDLED_HERE = new Set([
  'prefix',
  'service',
  'rewrite',
  'host',
  'hostname',
  'host_regex',
  'ambassador_id',
  'name',
  'namespace',
  'apiVersion',
  'kind',
  'metadata_labels',
]);

function convertAmbassadorId(v: unknown, notes: FieldNote[]): void {
  const ids = typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
  if (ids && ids.every((id) => id === 'default' || id === '_automatic_'))
    return void notes.push(carried('ambassador_id', 'nothing to write: Portico serves every Mapping'));
  notes.push(
    dropped(
      'ambassador_id',
      `${show(v)}: Emissary installations with other ids served this Mapping; Portico serves it`,
    ),
  );
}

/**
 * `unserved`: the Portico fields the operator does not implement yet (compile/unsupported-fields.ts); what would
 * go there is dropped and reported instead, so that the Mapping written is one the operator serves.
 */
export function convertMapping(
  src: EmissaryObject,
  unserved: ReadonlySet<string> = new Set(UNSUPPORTED_MAPPING_FIELDS),
): Converted {
  const notes: FieldNote[] = [];
  const f = src.fields;
  const spec: Record<string, unknown> = {};
  if (typeof f.prefix !== 'string' || f.prefix === '') {
    notes.push(
      dropped('prefix', `${show(f.prefix)} is not a prefix`),
      dropped('(object)', 'a Mapping needs a prefix; nothing is written'),
    );
    return { notes };
  }
  // The operator's own check of the path form (Envoy normalises request paths before matching).
  const prefixProblem = f.prefix_regex === true ? undefined : pathFormProblem(f.prefix, 'prefix');
  if (prefixProblem) {
    notes.push(
      dropped('prefix', `${f.prefix}: Portico refuses it: ${prefixProblem}`),
      dropped('(object)', 'a Mapping needs a prefix; nothing is written'),
    );
    return { notes };
  }
  spec.prefix = f.prefix;
  notes.push(carried('prefix', 'prefix'));
  const service = convertService(f.service, src.namespace, notes);
  if (service === undefined) return { notes: [...notes, dropped('(object)', 'without a service nothing is written')] };
  spec.service = service;
  if (f.rewrite !== undefined) {
    const problem =
      typeof f.rewrite === 'string'
        ? f.rewrite === ''
          ? undefined
          : pathFormProblem(f.rewrite, 'rewrite')
        : 'is not a path';
    if (problem === undefined) {
      spec.rewrite = f.rewrite;
      notes.push(carried('rewrite', 'rewrite'));
    } else {
      notes.push(
        dropped('rewrite', `${show(f.rewrite)}: ${problem}`),
        dropped(
          '(object)',
          'without its rewrite the Mapping would send other paths to its service; nothing is written',
        ),
      );
      return { notes };
    }
  }
  convertHost(f, notes, spec);
  if (f.ambassador_id !== undefined) convertAmbassadorId(f.ambassador_id, notes);

  const draft: MappingDraft = { spec, notes, apiVersion: src.apiVersion };
  for (const [field, value] of Object.entries(f))
    if (!HANDLED_HERE.has(field)) convertMappingField(field, value, draft, unserved);
  if (f.timeout_ms === undefined) {
    const timeout = `${EMISSARY_ROUTE_TIMEOUT_MS / 1000}s`;
    if (unserved.has('timeout'))
      notes.push(
        dropped(
          '(default) timeout_ms',
          `Emissary's ${EMISSARY_ROUTE_TIMEOUT_MS} ms cannot be written out: ${notServedYet('timeout')}; requests may take up to Envoy's 15s`,
        ),
      );
    else {
      spec.timeout = timeout;
      notes.push(
        changed(
          '(default) timeout_ms',
          `Emissary's ${EMISSARY_ROUTE_TIMEOUT_MS} → timeout: ${timeout}, written out (Portico's default is Envoy's 15s)`,
        ),
      );
    }
  }
  if (spec.regexRewrite !== undefined && spec.rewrite !== undefined) {
    notes.push(changed('rewrite', 'kept, but regex_rewrite overrides it in Portico as in Emissary'));
  }

  const lostMatch = [
    ...new Set(
      notes
        .filter((n) => n.outcome === 'dropped' && MATCH_FIELDS.has(n.field.split(/[.[]/)[0]))
        .map((n) => n.field.split(/[.[]/)[0]),
    ),
  ];
  if (lostMatch.length > 0) {
    notes.push(
      dropped(
        '(object)',
        `without ${lostMatch.join(', ')} it would match other requests than in Emissary (or take another share of them), and take them from the Mappings that should get them; nothing is written`,
      ),
    );
    return { notes };
  }
  const name = kubernetesName(src.name);
  if (name !== src.name) notes.push(changed('name', `${src.name} → metadata.name: ${name} (a Kubernetes object name)`));
  return {
    object: { apiVersion: 'portico.dev/v1alpha1', kind: 'Mapping', metadata: { name, namespace: src.namespace }, spec },
    notes,
  };
}
