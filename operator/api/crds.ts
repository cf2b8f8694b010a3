// Loads crds/*.yaml, the single source of truth of the Portico API. The folder is found by walking up from this
// module to the package root (the folder holding package.json), so it works from operator/ under tsx and from
// dist/operator/ after `npm run build` alike.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

/** The parts of apiextensions.k8s.io/v1 CustomResourceDefinition that Portico reads. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; [key: string]: unknown };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string; listKind?: string; plural: string; singular?: string; shortNames?: string[]; categories?: string[] };
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      subresources?: { status?: Record<string, never>; scale?: unknown };
      additionalPrinterColumns?: Array<{ name: string; type: string; jsonPath: string; priority?: number; description?: string; format?: string }>;
      schema: { openAPIV3Schema: JsonSchema };
    }>;
  };
}

/** A structural OpenAPI v3 schema node (the subset used by CRDs). */
export interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  [key: string]: unknown;
}

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'crds'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`portico: cannot find the package root (with crds/) above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function crdsDir(): string {
  return join(packageRoot(), 'crds');
}

let cached: CustomResourceDefinition[] | undefined;

/** Every CRD in crds/*.yaml, sorted by file name. Parsed once per process; callers get fresh copies. */
export function loadCrds(): CustomResourceDefinition[] {
  if (!cached) {
    const dir = crdsDir();
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
    cached = files.flatMap((file) =>
      yaml
        .loadAll(readFileSync(join(dir, file), 'utf8'))
        .filter((doc): doc is CustomResourceDefinition => !!doc && (doc as { kind?: string }).kind === 'CustomResourceDefinition'),
    );
  }
  return structuredClone(cached);
}

/** The openAPIV3Schema of the served version of one kind (e.g. 'Mapping'). */
export function crdSchema(kind: string, version = 'v1alpha1'): JsonSchema {
  const crd = loadCrds().find((c) => c.spec.names.kind === kind);
  if (!crd) throw new Error(`portico: no CRD for kind ${kind} in ${crdsDir()}`);
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`portico: CRD ${crd.metadata.name} has no version ${version}`);
  return v.schema.openAPIV3Schema;
}
