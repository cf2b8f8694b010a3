// Writes docs/reference.md from crds/*.yaml: `npx tsx docs/generate-reference.ts`.
// test/docs/reference.test.ts fails when the committed file differs from what this would write.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCrds } from '../operator/api/crds.js';
import { EXAMPLES } from './reference-examples.js';
import { renderReference } from './reference-render.js';
import { EMISSARY_MAPPING_NAMES } from '../operator/migrate/mapping-fields.js';
import { EMISSARY_TLSCONTEXT_NAMES } from '../operator/migrate/convert-tls.js';

export const REFERENCE_PATH = path.join(import.meta.dirname, 'reference.md');
export const REGENERATE_COMMAND = 'npx tsx docs/generate-reference.ts';

export function expectedReference(): string {
  return renderReference(loadCrds(), EXAMPLES, {
    Mapping: EMISSARY_MAPPING_NAMES,
    TLSContext: EMISSARY_TLSCONTEXT_NAMES,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(REFERENCE_PATH, expectedReference());
  process.stdout.write(`wrote ${path.relative(process.cwd(), REFERENCE_PATH)}\n`);
}
