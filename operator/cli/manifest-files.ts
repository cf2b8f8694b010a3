// Reading Portico's inputs from YAML/JSON files (for `portico render` / `portico validate`): multi-document
// files, directories (recursively, *.yaml|*.yml|*.json in name order), `-` for stdin, and `kind: List`.
// Objects without a namespace get "default"; Secret stringData is folded into data as the API server would.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { DEFAULT_NAMESPACE } from '../api/namespaces.js';
import {
  API_VERSION,
  type Mapping,
  type PorticoReferenceGrant,
  type Secret,
  type Service,
  type TLSContext,
} from '../api/types.js';

export interface ManifestSet {
  mappings: Mapping[];
  tlsContexts: TLSContext[];
  services: Service[];
  secrets: Secret[];
  referenceGrants: PorticoReferenceGrant[];
  /** Human-readable notes about skipped documents (unknown kinds, wrong apiVersion). */
  warnings: string[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export function listManifestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (p === '-') {
      out.push(p);
      return;
    }
    const st = statSync(p); // throws ENOENT with the path in the message
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) {
        const child = join(p, entry);
        if (statSync(child).isDirectory() || MANIFEST_FILE.test(entry)) walk(child);
      }
    } else out.push(p);
  };
  paths.forEach(walk);
  return out;
}

type Doc = {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
  [k: string]: unknown;
};

function describe(doc: Doc): string {
  const ns = typeof doc.metadata?.namespace === 'string' ? doc.metadata.namespace : DEFAULT_NAMESPACE;
  return `${String(doc.kind ?? '<no kind>')}/${ns}/${String(doc.metadata?.name ?? '<no name>')}`;
}

function withDefaultNamespace<T extends Doc>(doc: T): T {
  const metadata = { ...(doc.metadata ?? {}) };
  if (typeof metadata.namespace !== 'string' || metadata.namespace === '') metadata.namespace = DEFAULT_NAMESPACE;
  return { ...doc, metadata };
}

function foldStringData(doc: Doc): Doc {
  const stringData = doc.stringData as Record<string, string> | undefined;
  if (!stringData || typeof stringData !== 'object') return doc;
  const data: Record<string, string> = { ...((doc.data as Record<string, string>) ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  const { stringData: _dropped, ...rest } = doc;
  return { ...rest, data };
}

/** Values (objects, arrays, scalars) one file may expand to through YAML aliases, List items included. */
export const MAX_MANIFEST_VALUES = 1_000_000;

/**
 * YAML aliases can make a value contain itself (`&a {kind: List, items: [*a]}`) or expand exponentially
 * (an alias "bomb"); walking either would never end. Refuse a cycle, and stop after MAX_MANIFEST_VALUES.
 */
function checkFinite(docs: unknown[], source: string): void {
  const ancestors = new Set<object>();
  const stack: Array<{ value: unknown; leave?: boolean }> = docs.map((value) => ({ value }));
  let visited = 0;
  while (stack.length > 0) {
    const { value, leave } = stack.pop()!;
    if (leave) {
      ancestors.delete(value as object);
      continue;
    }
    if (++visited > MAX_MANIFEST_VALUES)
      throw new Error(`${source}: more than ${MAX_MANIFEST_VALUES} values once YAML aliases are expanded`);
    if (value === null || typeof value !== 'object') continue;
    if (ancestors.has(value)) throw new Error(`${source}: a YAML alias makes a value contain itself`);
    ancestors.add(value);
    stack.push({ value, leave: true });
    for (const child of Object.values(value)) stack.push({ value: child });
  }
}

export function parseManifests(text: string, source: string, into: ManifestSet): void {
  let docs: unknown[];
  try {
    // json: a repeated key keeps its last value, as kubectl's YAML decoding does (portico validate reports it).
    docs = yaml.loadAll(text, undefined, { json: true });
  } catch (err) {
    throw new Error(`${source}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { cause: err });
  }
  checkFinite(docs, source);
  const queue = [...docs];
  while (queue.length > 0) {
    const doc = queue.shift() as Doc | null | undefined;
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      into.warnings.push(`${source}: ignoring a document that is not an object`);
      continue;
    }
    if (doc.kind === 'List' && Array.isArray(doc.items)) {
      queue.unshift(...doc.items);
      continue;
    }
    const kind = doc.kind;
    const isPortico = doc.apiVersion === API_VERSION;
    const isCore = doc.apiVersion === 'v1' || doc.apiVersion === undefined;
    if (kind === 'Mapping' && isPortico) into.mappings.push(withDefaultNamespace(doc) as unknown as Mapping);
    else if (kind === 'TLSContext' && isPortico)
      into.tlsContexts.push(withDefaultNamespace(doc) as unknown as TLSContext);
    else if (kind === 'PorticoReferenceGrant' && isPortico)
      into.referenceGrants.push(withDefaultNamespace(doc) as unknown as PorticoReferenceGrant);
    else if (kind === 'Service' && isCore) into.services.push(withDefaultNamespace(doc) as unknown as Service);
    else if (kind === 'Secret' && isCore)
      into.secrets.push(withDefaultNamespace(foldStringData(doc)) as unknown as Secret);
    else
      into.warnings.push(
        `${source}: ignoring ${describe(doc)} (apiVersion ${String(doc.apiVersion ?? '<none>')}: not an input of portico)`,
      );
  }
}

/** Reads every file under `paths`. Throws (naming the file) on unreadable files and YAML syntax errors. */
export function readManifests(
  paths: readonly string[],
  readStdin: () => string = () => readFileSync(0, 'utf8'),
): ManifestSet {
  const set: ManifestSet = {
    mappings: [],
    tlsContexts: [],
    services: [],
    secrets: [],
    referenceGrants: [],
    warnings: [],
  };
  for (const file of listManifestFiles(paths)) {
    parseManifests(file === '-' ? readStdin() : readFileSync(file, 'utf8'), file === '-' ? '<stdin>' : file, set);
  }
  return set;
}
