// crds/*.yaml → the source of operator/api/crd-documents.ts: the CRDs as data, so the validators, strict
// decoding and the embedded API server read the API's schema without touching the file system. Pure.
import type { CustomResourceDefinition } from '../api/crd-definition.js';

export function renderCrdDocuments(crds: readonly CustomResourceDefinition[]): string {
  return [
    '// GENERATED from crds/*.yaml by `npm run generate:api` (operator/codegen/): do not edit. A change to the API is',
    '// a change to its CRD; test/codegen/generated-files.test.ts fails while this file is not regenerated.',
    "import type { CustomResourceDefinition } from './crd-definition.js';",
    '',
    `export const CRD_DOCUMENTS: readonly CustomResourceDefinition[] = ${JSON.stringify(crds, null, 2)};`,
    '',
  ].join('\n');
}
