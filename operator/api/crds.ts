// The Portico CRDs, the single source of truth of the API: crds/*.yaml, as data generated into crd-documents.ts
// (`npm run generate:api`), so whoever reads the schema (validators, strict decoding, the embedded API server)
// needs no file system and no package root.
import { CRD_DOCUMENTS } from './crd-documents.js';
import type { CustomResourceDefinition, JsonSchema } from './crd-definition.js';

/** Every Portico CRD (crds/*.yaml, sorted by file name; generated into crd-documents.ts). Callers get fresh copies. */
export function loadCrds(): CustomResourceDefinition[] {
  return structuredClone(CRD_DOCUMENTS) as CustomResourceDefinition[];
}

/** The openAPIV3Schema of the served version of one kind (e.g. 'Mapping'). */
export function crdSchema(kind: string, version = 'v1alpha1'): JsonSchema {
  const crd = CRD_DOCUMENTS.find((c) => c.spec.names.kind === kind);
  if (!crd) throw new Error(`portico: no CRD for kind ${kind} in crds/`);
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`portico: CRD ${crd.metadata.name} has no version ${version}`);
  return structuredClone(v.schema.openAPIV3Schema);
}
