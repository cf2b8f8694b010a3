// What the server knows about one resource (a REST collection): names, scope, and the store strategy flags
// the real registry sets per type (AllowUnconditionalUpdate, AllowCreateOnUpdate, generation rules).
import type { CrSchema } from '../schemas/cr-schema.js';
import type { FieldLabels } from './field-labels.js';
import type { PrinterColumn } from '../encoding/table.js';

export interface ResourceType {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Has a /status subresource (status is ignored on main-endpoint writes). */
  statusSubresource: boolean;
  /** PUT without metadata.resourceVersion is allowed. */
  allowUnconditionalUpdate: boolean;
  /** PUT to a missing object creates it (Lease). */
  allowCreateOnUpdate: boolean;
  /** metadata.generation: 'spec' bumps on non-metadata/status changes, 'none' leaves it unset. */
  generation: 'tracked' | 'none';
  /** Custom resources accept no strategic merge patch and return the object on DELETE. */
  custom: boolean;
  /** Built-ins: the @kubernetes/client-node model of the Go type (e.g. V1Service), which decoding prunes to. */
  goType?: string;
  /** Present for custom resources: schema validation, pruning, defaulting. */
  schema?: CrSchema;
  /** Table columns after NAME (CRD additionalPrinterColumns, or the built-in's usual columns). */
  printerColumns: PrinterColumn[];
  /** The field selector labels this resource accepts, and how an object's value for each is read. */
  fieldLabels: FieldLabels;
}

export function apiVersionOf(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** Key of a resource's collection, independent of version: `apps/deployments`, `/configmaps`. */
export function resourceKey(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${rt.group}/${rt.plural}`;
}

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
