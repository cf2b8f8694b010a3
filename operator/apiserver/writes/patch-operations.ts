// The one place the server calls the pure patch functions (./patch, written against contracts.md): it turns
// their PatchError into our ApiError with the same Status body, and fixes the time format they record.
import * as patch from '../patch/index.js';
import { timestamp } from '../api-state.js';
import { apiVersionOf, type ResourceType } from '../registry/resource-types.js';
import { ApiError, type ResourceName } from '../encoding/status-errors.js';
import type { K8sObject } from '../storage/stored-objects.js';

function toApiError(err: unknown, r: ResourceName, name: string): unknown {
  if (err instanceof patch.PatchError) {
    const causes = err.causes;
    return new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: err.message,
      reason: err.reason,
      code: err.code,
      // A failed JSON patch hides its detail and names no object (details: {}), as kube-apiserver does.
      ...(err.detail !== undefined
        ? { details: {} }
        : err.code === 400 && !causes
          ? {}
          : {
              details: {
                name,
                group: r.group || undefined,
                kind: err.code === 422 ? r.kind : r.plural,
                ...(causes ? { causes } : {}),
              },
            }),
    });
  }
  return err;
}

function guarded<T>(r: ResourceName, name: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toApiError(err, r, name);
  }
}

export function recordUpdate(
  rt: ResourceType,
  old: K8sObject | undefined,
  next: K8sObject,
  manager: string,
  now: Date,
  subresource?: string,
): K8sObject {
  return patch.recordManagedUpdate(
    old ?? null,
    next,
    manager,
    apiVersionOf(rt),
    timestamp(now),
    subresource,
    rt.schema?.listType,
  ) as K8sObject;
}

export function jsonPatch(r: ResourceName, name: string, doc: K8sObject, ops: unknown): K8sObject {
  return guarded(r, name, () => patch.applyJsonPatch(doc, ops) as K8sObject);
}

export function mergePatch(r: ResourceName, name: string, doc: K8sObject, p: unknown): K8sObject {
  return guarded(r, name, () => patch.applyMergePatch(doc, p) as K8sObject);
}

export function strategicMergePatch(r: ResourceName, name: string, doc: K8sObject, p: unknown): K8sObject {
  return guarded(r, name, () => patch.applyStrategicMergePatch(doc, p, r.kind) as K8sObject);
}

export interface ApplyInput {
  live: K8sObject | undefined;
  applied: K8sObject;
  manager: string;
  force: boolean;
  now: Date;
  subresource?: 'status';
}

export function serverSideApply(rt: ResourceType, name: string, req: ApplyInput): K8sObject {
  return guarded(
    rt,
    name,
    () =>
      patch.serverSideApply({
        live: req.live ?? null,
        applied: req.applied,
        manager: req.manager,
        force: req.force,
        apiVersion: apiVersionOf(rt),
        now: timestamp(req.now),
        listType: rt.schema?.listType,
        subresource: req.subresource,
        statusSubresource: rt.statusSubresource,
      }).object as K8sObject,
  );
}
