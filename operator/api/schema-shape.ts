// The shape of the API types in operator/api/types.ts, as data, checked against those types by the TypeScript
// compiler. test/api/types-drift.test.ts compares this data with the CRD schemas in crds/*.yaml. Together:
//  - change a type in types.ts (add/remove a field, flip optional/required, change string→boolean, add a TLS
//    version) and `satisfies ShapeOf<…>` below stops compiling: keys must be exactly keyof T (an object literal
//    under `satisfies` gets excess-property checks, a missing key is an error), and each value's literal
//    `type`/`required` must equal the one computed from T. The drift test type-checks this file, so mocha fails too;
//  - change the CRD instead, and the runtime comparison in the drift test fails.
// So neither side can drift without a red test. Only update this file together with both types.ts and crds/.
import type {
  Condition,
  MappingSpec,
  PorticoReferenceGrantSpec,
  PorticoStatus,
  ReferenceGrantFrom,
  ReferenceGrantTo,
  TLSContextSpec,
  TLSContextStatus,
  TlsVersion,
} from './types.js';

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
type JsonType<V> = [V] extends [string] ? 'string' : [V] extends [boolean] ? 'boolean' : [V] extends [number] ? 'integer' : [V] extends [readonly unknown[]] ? 'array' : 'object';
type ItemType<V> = [V] extends [readonly (infer I)[]] ? JsonType<I> : undefined;
export interface FieldShape {
  type: 'string' | 'boolean' | 'integer' | 'array' | 'object';
  required: boolean;
  items?: 'string' | 'boolean' | 'integer' | 'array' | 'object';
}
export type ShapeOf<T> = {
  [K in keyof T]-?: {
    type: JsonType<NonNullable<T[K]>>;
    required: K extends RequiredKeys<T> ? true : false;
  } & (ItemType<NonNullable<T[K]>> extends undefined ? { items?: undefined } : { items: ItemType<NonNullable<T[K]>> });
};

export const MAPPING_SPEC_SHAPE = {
  prefix: { type: 'string', required: true },
  service: { type: 'string', required: true },
  rewrite: { type: 'string', required: false },
  host: { type: 'string', required: false },
} as const satisfies ShapeOf<MappingSpec>;

export const TLSCONTEXT_SPEC_SHAPE = {
  hosts: { type: 'array', required: false, items: 'string' },
  secret: { type: 'string', required: true },
  redirectCleartext: { type: 'boolean', required: false },
  minTlsVersion: { type: 'string', required: false },
  maxTlsVersion: { type: 'string', required: false },
  alpnProtocols: { type: 'array', required: false, items: 'string' },
} as const satisfies ShapeOf<TLSContextSpec>;

export const MAPPING_STATUS_SHAPE = {
  observedGeneration: { type: 'integer', required: false },
  conditions: { type: 'array', required: false, items: 'object' },
} as const satisfies ShapeOf<PorticoStatus>;

export const TLSCONTEXT_STATUS_SHAPE = {
  observedGeneration: { type: 'integer', required: false },
  conditions: { type: 'array', required: false, items: 'object' },
  notAfter: { type: 'string', required: false },
} as const satisfies ShapeOf<TLSContextStatus>;

export const REFERENCE_GRANT_SPEC_SHAPE = {
  from: { type: 'array', required: true, items: 'object' },
  to: { type: 'array', required: true, items: 'object' },
} as const satisfies ShapeOf<PorticoReferenceGrantSpec>;

export const REFERENCE_GRANT_FROM_SHAPE = {
  kind: { type: 'string', required: true },
  namespace: { type: 'string', required: true },
} as const satisfies ShapeOf<ReferenceGrantFrom>;

export const REFERENCE_GRANT_TO_SHAPE = {
  kind: { type: 'string', required: true },
  name: { type: 'string', required: false },
} as const satisfies ShapeOf<ReferenceGrantTo>;

/** The kinds a grant names: must equal the CRD enums (the assertions below fail to compile otherwise). */
export const GRANT_FROM_KINDS = ['Mapping', 'TLSContext'] as const satisfies readonly ReferenceGrantFrom['kind'][];
const everyFromKindListed: ReferenceGrantFrom['kind'] extends (typeof GRANT_FROM_KINDS)[number] ? true : false = true;
void everyFromKindListed;
export const GRANT_TO_KINDS = ['Service', 'Secret', 'Host'] as const satisfies readonly ReferenceGrantTo['kind'][];
const everyToKindListed: ReferenceGrantTo['kind'] extends (typeof GRANT_TO_KINDS)[number] ? true : false = true;
void everyToKindListed;

export const CONDITION_SHAPE = {
  type: { type: 'string', required: true },
  status: { type: 'string', required: true },
  reason: { type: 'string', required: true },
  message: { type: 'string', required: true },
  observedGeneration: { type: 'integer', required: false },
  lastTransitionTime: { type: 'string', required: false },
} as const satisfies ShapeOf<Condition>;

/** Every TlsVersion, and nothing else (the two assertions below fail to compile otherwise). */
export const TLS_VERSIONS = ['v1.2', 'v1.3'] as const satisfies readonly TlsVersion[];
const everyTlsVersionListed: TlsVersion extends (typeof TLS_VERSIONS)[number] ? true : false = true;
void everyTlsVersionListed;

/** Condition.status values: must equal the CRD enum. */
export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const satisfies readonly Condition['status'][];
const everyStatusListed: Condition['status'] extends (typeof CONDITION_STATUSES)[number] ? true : false = true;
void everyStatusListed;
