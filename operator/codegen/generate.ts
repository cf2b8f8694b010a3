// `npm run generate:api`: writes operator/api/types.ts and operator/api/crd-documents.ts from crds/*.yaml.
// `--check` writes nothing and fails when either is not what the CRDs give (test/codegen/generated-files.test.ts
// checks the same in the suite).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderApiTypes } from './api-types-source.js';
import { renderCrdDocuments } from './crd-documents-source.js';
import { readCrdFiles } from './crd-files.js';

const root = join(import.meta.dirname, '..', '..');

/** Each generated file (relative to the repository) and the text it should have. */
export function generatedFiles(repoRoot = root): Array<{ path: string; text: string }> {
  const crds = readCrdFiles(join(repoRoot, 'crds'));
  return [
    { path: 'operator/api/types.ts', text: renderApiTypes(crds) },
    { path: 'operator/api/crd-documents.ts', text: renderCrdDocuments(crds) },
  ];
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  let stale = 0;
  for (const { path, text } of generatedFiles()) {
    const file = join(root, path);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    if (check) {
      process.stderr.write(`${path} is not what crds/ gives: run npm run generate:api\n`);
      stale++;
    } else {
      writeFileSync(file, text);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) process.exitCode = main(process.argv.slice(2));
