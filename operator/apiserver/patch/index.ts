// Pure patch and server-side-apply logic for Portico's embedded API server (no I/O, no clock): what the write
// path (writes/patch-operations.ts) and the patch tests use.

export { PatchError, GENERIC_INVALID_MESSAGE } from './errors.js';
export { applyJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { recordManagedUpdate, managedFieldsFor, type KubeObject } from './managed-fields.js';
export { serverSideApply, type ApplyRequest } from './server-side-apply.js';
export { strategicMergeSupported } from './strategic-merge-keys.js';
export { applyStrategicMergePatch } from './strategic-merge.js';
