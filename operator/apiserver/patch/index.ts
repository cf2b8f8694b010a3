// Pure patch and server-side-apply logic for Portico's embedded API server (no I/O, no clock).

export { PatchError, GENERIC_INVALID_MESSAGE, type PatchErrorCause, type PatchErrorCode, type PatchErrorReason } from './errors.js';
export { applyJsonPatch, parseJsonPointer } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { FieldSet, formatPath, type FieldPath, type PathElement } from './field-set.js';
export { fieldsOf, compareFields, type FieldComparison } from './object-fields.js';
export {
  recordManagedUpdate,
  managedFieldsFor,
  decodeManagedFields,
  encodeManagedFields,
  type KubeObject,
  type ManagedFieldsEntry,
  type Manager,
} from './managed-fields.js';
export { serverSideApply, describeManager, type ApplyRequest, type ApplyResult } from './server-side-apply.js';
export { strategicMergeSupported, builtinListType, fieldStrategy, type ListType, type ListTypeFn, type FieldStrategy } from './strategic-merge-keys.js';
export { applyStrategicMergePatch, SMP_UNSUPPORTED_MESSAGE } from './strategic-merge.js';
