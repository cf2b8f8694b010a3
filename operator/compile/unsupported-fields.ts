// The Mapping fields the schema accepts but compile/ does not implement yet (issue 14 adds them to the CRD first
// and their behaviour one by one). A Mapping that sets one is refused (Accepted=False, UnsupportedField, naming
// the fields) instead of being served without it: a "GET only" or "3s timeout" that is silently ignored would
// route differently from what its author wrote. Remove a field from UNSUPPORTED_MAPPING_FIELDS in the commit
// that implements it (compiled, rendered, tested through real Envoy).
import type { MappingSpec } from '../api/types.js';

type SpecField = keyof MappingSpec;

/** Fields whose behaviour is not implemented yet, in schema order. */
export const UNSUPPORTED_MAPPING_FIELDS: readonly SpecField[] = [
  // Rendered (lb_policy, hash_policy) but without effect while clusters resolve a Service's ClusterIP by DNS:
  // one endpoint, nothing to balance or hash over (Emissary too requires an endpoint resolver for it). It
  // becomes supported with EDS (issue 16).
  'loadBalancer',
];

/**
 * Fields that decide which requests a Mapping matches, or which member of its group gets them. A refused Mapping
 * normally keeps its prefix and host as a 503 (so its requests never reach a shorter prefix's service), but with
 * one of these that would claim requests it never matched (a GET-only Mapping would take POSTs too, a 10 %
 * canary or a shadow would take an even share of its group): such a Mapping claims nothing instead.
 */
const MATCH_FIELDS: ReadonlySet<SpecField> = new Set<SpecField>([
  'prefixExact',
  'prefixRegex',
  'caseSensitive',
  'method',
  'headers',
  'regexHeaders',
  'queryParameters',
  'regexQueryParameters',
  'precedence',
  'weight',
  'shadow',
]);

export interface UnsupportedFields {
  /** The fields set, as spec paths (`spec.method`), in schema order. */
  fields: string[];
  /** Whether the Mapping may still hold its prefix and host as a 503 (no field above changes its match). */
  holdsMatch: boolean;
  /** The status message. */
  message: string;
}

/** The unsupported fields `spec` sets, or undefined when it sets none. */
export function unsupportedFieldsOf(
  spec: MappingSpec,
  unsupported: readonly SpecField[] = UNSUPPORTED_MAPPING_FIELDS,
): UnsupportedFields | undefined {
  const set = unsupported.filter((f) => spec[f] !== undefined);
  if (set.length === 0) return undefined;
  const holdsMatch = !set.some((f) => MATCH_FIELDS.has(f));
  const fields = set.map((f) => `spec.${f}`);
  const what = fields.length === 1 ? `${fields[0]} is` : `${fields.join(', ')} are`;
  const claim = holdsMatch ? '' : '; it claims no requests, since its match cannot be served as written';
  return {
    fields,
    holdsMatch,
    message: `${what} not implemented by this version of Portico yet: the Mapping is refused rather than served without ${fields.length === 1 ? 'it' : 'them'}${claim}`,
  };
}
