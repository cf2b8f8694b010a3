// Reading crds/*.yaml: every CustomResourceDefinition document, files in name order (kustomization.yaml and any
// other document are skipped).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { CustomResourceDefinition } from '../api/crd-definition.js';

export function readCrdFiles(dir: string): CustomResourceDefinition[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  return files.flatMap((file) =>
    yaml
      .loadAll(readFileSync(join(dir, file), 'utf8'))
      .filter(
        (doc): doc is CustomResourceDefinition =>
          !!doc && (doc as { kind?: string }).kind === 'CustomResourceDefinition',
      ),
  );
}
