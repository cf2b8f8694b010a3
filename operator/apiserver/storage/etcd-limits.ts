// What etcd refuses, and how kube-apiserver reports it. etcd rejects a request over --max-request-bytes
// (1.5 MiB by default) with "etcdserver: request is too large"; kube-apiserver retries once without
// managedFields (endpoints/handlers/create.go, update.go, patch.go: isTooLargeError) and otherwise passes the
// error through as a 500 without a reason (responsewriters.ErrorToAPIStatus).
import { ApiError } from '../encoding/status-errors.js';
import type { K8sObject } from './stored-objects.js';

export const MAX_ETCD_REQUEST_BYTES = 1.5 * 1024 * 1024;

export class StorageTooLargeError extends ApiError {
  constructor() {
    super({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'etcdserver: request is too large',
      code: 500,
    });
  }
}

function base64Overhead(values: unknown): number {
  let saved = 0;
  if (!values || typeof values !== 'object') return 0;
  for (const v of Object.values(values as Record<string, unknown>))
    if (typeof v === 'string') saved += v.length - Math.floor((v.length * 3) / 4);
  return saved;
}

/**
 * The size etcd would see for this write: the key plus the stored value. Built-ins are stored as protobuf, where
 * Secret data and ConfigMap binaryData are raw bytes rather than base64, so that overhead is not counted; the
 * rest is measured as JSON (custom resources are stored as JSON).
 */
export function etcdRequestBytes(key: string, json: string, obj: K8sObject): number {
  let bytes = Buffer.byteLength(key) + Buffer.byteLength(json);
  if (obj.apiVersion === 'v1' && obj.kind === 'Secret') bytes -= base64Overhead(obj.data);
  if (obj.apiVersion === 'v1' && obj.kind === 'ConfigMap') bytes -= base64Overhead(obj.binaryData);
  return bytes;
}
