// Create and update, the way the generic registry store does them: system metadata, namespace lifecycle,
// optimistic concurrency, status-subresource rules, generation, managedFields, no-op detection, dry-run,
// and deletion once the last finalizer is gone. Transport-free: the HTTP handlers, GC and `portico dev` use it.
import { randomBytes, randomUUID } from 'node:crypto';
import { admit, type FieldValidation } from '../admission/admission.js';
import { timestamp, type ApiState } from '../api-state.js';
import { jsonEqual } from '../../api/json-equality.js';
import { comparableState, withoutMetadata } from './content-equality.js';
import { compileCrSchema } from '../schemas/cr-schema.js';
import { establishedCrdStatus, withControllerStatus } from './crd-status.js';
import { prepareBuiltin } from '../admission/builtin-defaults.js';
import { recordUpdate } from './patch-operations.js';
import { apiVersionOf, resourceKey, type ResourceType } from '../registry/resource-types.js';
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound } from '../encoding/status-errors.js';
import { StorageTooLargeError } from '../storage/etcd-limits.js';
import type { K8sObject } from '../storage/stored-objects.js';

export interface WriteOptions {
  manager: string;
  fieldValidation: FieldValidation;
  dryRun: boolean;
  subresource?: 'status';
  /** PUT semantics: a missing metadata.resourceVersion is refused for types without unconditional update. */
  requireResourceVersion?: boolean;
  /** managedFields were already computed (server-side apply). */
  managedFieldsDone?: boolean;
}

export interface WriteResult {
  object: K8sObject;
  created: boolean;
  warnings: string[];
}

const NAMESPACES = { group: '', plural: 'namespaces', kind: 'Namespace' };
const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';

function checkIdentity(rt: ResourceType, namespace: string | undefined, body: K8sObject): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest(`Object '${rt.kind}' is not a JSON object`);
  if (rt.custom && !body.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
  const apiVersion = apiVersionOf(rt);
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion)
    throw badRequest(
      `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersion})`,
    );
  if (body.kind !== undefined && body.kind !== rt.kind)
    throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${rt.kind})`);
  body.apiVersion = apiVersion;
  body.kind = rt.kind;
  body.metadata ??= {};
  if (typeof body.metadata !== 'object' || Array.isArray(body.metadata)) throw badRequest('metadata must be an object');
  if (rt.namespaced) {
    if (body.metadata.namespace && body.metadata.namespace !== namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    body.metadata.namespace = namespace;
  } else {
    delete body.metadata.namespace;
  }
}

function checkNamespace(state: ApiState, rt: ResourceType, namespace: string | undefined, name: string): void {
  if (!rt.namespaced || !namespace) return;
  const ns = state.store.get('/namespaces', undefined, namespace);
  if (!ns) throw notFound(NAMESPACES, namespace);
  if (ns.metadata.deletionTimestamp)
    throw forbidden(rt, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
}

function manage(
  old: K8sObject | undefined,
  next: K8sObject,
  rt: ResourceType,
  opts: WriteOptions,
  now: Date,
): K8sObject {
  if (opts.managedFieldsDone) return next;
  return recordUpdate(rt, old, next, opts.manager, now, opts.subresource);
}

export function createObject(
  state: ApiState,
  rt: ResourceType,
  namespace: string | undefined,
  body: K8sObject,
  opts: WriteOptions,
): WriteResult {
  const obj = structuredClone(body);
  checkIdentity(rt, namespace, obj);
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomBytes(4).toString('hex').slice(0, 5)}`;
  if (!meta.name)
    throw invalid(rt, '', [
      { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
    ]);
  if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
  checkNamespace(state, rt, namespace, meta.name);
  if (state.store.get(resourceKey(rt), namespace, meta.name)) throw alreadyExists(rt, meta.name);
  const now = state.now();
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp(now);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (rt.generation === 'tracked') meta.generation = 1;
  else delete meta.generation;
  if (rt.statusSubresource) delete obj.status;
  const warnings = admit(rt, obj, undefined, opts.fieldValidation);
  if (resourceKey(rt) === CRD_KEY) compileCrdOrThrow(rt, obj);
  // managedFields first, then what the strategy and the controllers add: nobody owns that (CRD status
  // excepted, which the apiextensions controllers write through /status as kube-apiserver).
  let managed = manage(undefined, obj, rt, opts, now);
  prepareBuiltin(rt, managed, undefined);
  if (resourceKey(rt) === CRD_KEY)
    managed = withControllerStatus(rt, managed, establishedCrdStatus(managed, timestamp(now)), now);
  if (opts.dryRun) return { object: managed, created: true, warnings };
  const stored = retryWithoutManagedFields(managed, opts, (o) => state.store.create(resourceKey(rt), o));
  if (resourceKey(rt) === CRD_KEY) state.registry.registerCrd(stored);
  return { object: stored, created: true, warnings };
}

/**
 * kube-apiserver's answer to etcd refusing an object as too large: try once more without managedFields (they
 * can be large), except for server-side apply, which needs them (handlers/create.go, update.go, patch.go).
 */
function retryWithoutManagedFields(obj: K8sObject, opts: WriteOptions, write: (o: K8sObject) => K8sObject): K8sObject {
  try {
    return write(obj);
  } catch (err) {
    if (!(err instanceof StorageTooLargeError) || opts.managedFieldsDone || obj.metadata.managedFields === undefined)
      throw err;
    const { managedFields: _dropped, ...metadata } = obj.metadata;
    return write({ ...obj, metadata });
  }
}

/** A CRD whose schema ajv cannot compile is refused before it is stored. */
function compileCrdOrThrow(rt: ResourceType, crd: K8sObject): void {
  (crd.spec?.versions ?? []).forEach((v: K8sObject, i: number) => {
    try {
      compileCrSchema(v.schema?.openAPIV3Schema ?? { type: 'object' });
    } catch (err) {
      throw invalid(rt, crd.metadata.name, [
        {
          type: 'FieldValueInvalid',
          field: `spec.versions[${i}].schema.openAPIV3Schema`,
          value: '',
          detail: (err as Error).message,
        },
      ]);
    }
  });
}

export function updateObject(
  state: ApiState,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  body: K8sObject,
  opts: WriteOptions,
): WriteResult {
  const incoming = structuredClone(body);
  checkIdentity(rt, namespace, incoming);
  if (incoming.metadata.name && incoming.metadata.name !== name)
    throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
  incoming.metadata.name = name;
  const key = resourceKey(rt);
  const old = state.store.get(key, namespace, name);
  if (!old) {
    if (rt.allowCreateOnUpdate && !opts.subresource) {
      delete incoming.metadata.resourceVersion;
      return createObject(state, rt, namespace, incoming, opts);
    }
    throw notFound(rt, name);
  }
  const rv = incoming.metadata.resourceVersion;
  if (!rv && opts.requireResourceVersion && !rt.allowUnconditionalUpdate) {
    throw invalid(rt, name, [
      {
        type: 'FieldValueInvalid',
        field: 'metadata.resourceVersion',
        value: 0,
        valueText: '0x0',
        detail: 'must be specified for an update',
      },
    ]);
  }
  if (rv && rv !== old.metadata.resourceVersion) throw conflict(rt, name);

  let next: K8sObject;
  if (opts.subresource === 'status') {
    next = structuredClone(old);
    if (incoming.status === undefined) delete next.status;
    else next.status = incoming.status;
    if (opts.managedFieldsDone) next.metadata.managedFields = incoming.metadata.managedFields;
  } else {
    next = incoming;
    for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation']) {
      if (old.metadata[f] === undefined) delete next.metadata[f];
      else next.metadata[f] = old.metadata[f];
    }
    if (!opts.managedFieldsDone && next.metadata.managedFields === undefined && old.metadata.managedFields)
      next.metadata.managedFields = old.metadata.managedFields;
    if (rt.statusSubresource) {
      if (old.status === undefined) delete next.status;
      else next.status = old.status;
    }
  }
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  const warnings = admit(rt, next, old, opts.fieldValidation);
  if (rt.generation === 'tracked' && !opts.subresource && !jsonEqual(withoutMetadata(next), withoutMetadata(old))) {
    next.metadata.generation = (old.metadata.generation ?? 0) + 1;
  }
  const isCrd = resourceKey(rt) === CRD_KEY && !opts.subresource;
  if (isCrd) compileCrdOrThrow(rt, next);
  let managed = manage(old, next, rt, opts, state.now());
  if (!opts.subresource) prepareBuiltin(rt, managed, old);
  if (isCrd) {
    const established = establishedCrdStatus(managed, timestamp(state.now()));
    managed = withControllerStatus(
      rt,
      managed,
      { ...established, conditions: old.status?.conditions ?? established.conditions },
      state.now(),
    );
  }
  if (jsonEqual(comparableState(managed), comparableState(old))) return { object: old, created: false, warnings };
  if (opts.dryRun) return { object: managed, created: false, warnings };
  if (managed.metadata.deletionTimestamp && (managed.metadata.finalizers ?? []).length === 0) {
    return { object: state.store.remove(key, managed), created: false, warnings };
  }
  const stored = retryWithoutManagedFields(managed, opts, (o) => state.store.update(key, o));
  if (resourceKey(rt) === CRD_KEY) state.registry.registerCrd(stored);
  return { object: stored, created: false, warnings };
}
