// `portico validate -f <file|dir>...`: for a GitOps repo's CI. Prints one line per rejected object
// (`Mapping/default/bad-one spec.prefix: …`) and exits 1 if there is any, 0 otherwise. It rejects what
// `kubectl apply` would have the API server reject, in the API server's words: first strict decoding (unknown
// and duplicate fields, `strict decoding error: unknown field "spec.timeout_ms"`), then the CRD schema and its
// x-kubernetes-validations rules (`spec.prefix: Invalid value: "bad": must start with "/"`); then what the
// operator would refuse (its Accepted=False conditions). An object the API server would refuse never reaches
// the operator, so it is not compiled. Unresolved references (a Service or Secret not in the files) are
// warnings, since clusters usually hold objects the repo does not; --strict-refs makes them errors too.
// --envoy[=PATH] then loads the compiled config into real Envoy (envoy-flag.ts) and reports what it refuses.
import { readFileSync } from 'node:fs';
import { listManifestFiles, readManifests, type ManifestSet } from './manifest-files.js';
import { decodeDocuments, strictDecodingErrors } from '../api/strict-decoding.js';
import { namespaceOf } from '../api/namespaces.js';
import { API_VERSION } from '../api/types.js';
import {
  validateMappingObject,
  validateReferenceGrantObject,
  validateTLSContextObject,
  type FieldError,
} from '../api/validators.js';
import { runPipelineOn, parseCommonFlags, parseNow } from './render.js';
import { envoyCheckReport, normaliseEnvoyFlag } from './envoy-flag.js';
import type { ObjectStatus } from '../compile/types.js';

const HELP = `usage: portico validate -f <file|dir>... [--strict-refs] [--envoy[=PATH]] [--now <time>]

Check Mappings and TLSContexts; print one line per rejected object and exit 1 if there is any.

flags:
  -f, --filename <path>  a file, a directory (read recursively) or - for stdin; repeatable
      --strict-refs      also fail on references to Services/Secrets that are missing or unusable
      --envoy[=PATH]     also load the compiled config (with its certificates) into real Envoy
                         (envoy --mode validate; PATH, or else envoy on PATH) and print what it refuses
      --now <time>       ISO time for certificate validity checks (default: now)
  -h, --help             this help
`;

/** The API server's schema check of each Portico kind (the CRD schema and its rules). */
const SCHEMA_CHECKS: Record<string, (obj: unknown) => FieldError[]> = {
  Mapping: validateMappingObject,
  TLSContext: validateTLSContextObject,
  PorticoReferenceGrant: validateReferenceGrantObject,
};

type Doc = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };

function idOf(doc: Doc): string {
  return `${String(doc.kind)}/${namespaceOf(doc)}/${String(doc.metadata?.name ?? '')}`;
}

/**
 * Kind/namespace/name → what the API server says when it refuses a Portico object: a 400 for strict decoding
 * (unknown or duplicate fields), else a 422 with the schema's and rules' field errors, joined with "; ".
 */
function refusedByApiServer(files: readonly string[], readStdin: () => string): Map<string, string> {
  const refused = new Map<string, string>();
  for (const file of listManifestFiles(files)) {
    for (const doc of decodeDocuments(file === '-' ? readStdin() : readFileSync(file, 'utf8'))) {
      const obj = doc.object as Doc;
      const check =
        obj && typeof obj === 'object' && obj.apiVersion === API_VERSION ? SCHEMA_CHECKS[String(obj.kind)] : undefined;
      if (!check) continue;
      const strict = strictDecodingErrors(String(obj.kind), doc);
      if (strict.length > 0) {
        refused.set(idOf(obj), `strict decoding error: ${strict.join(', ')}`);
        continue;
      }
      const invalid = check(obj);
      if (invalid.length > 0) refused.set(idOf(obj), invalid.map((e) => `${e.field}: ${e.message}`).join('; '));
    }
  }
  return refused;
}

function withoutRefused(m: ManifestSet, refused: Map<string, string>): ManifestSet {
  const keep = <T extends Doc>(kind: string, list: T[]): T[] => list.filter((o) => !refused.has(idOf({ ...o, kind })));
  return {
    ...m,
    mappings: keep('Mapping', m.mappings),
    tlsContexts: keep('TLSContext', m.tlsContexts),
    referenceGrants: keep('PorticoReferenceGrant', m.referenceGrants),
  };
}

function line(s: ObjectStatus, type: 'Accepted' | 'ResolvedRefs'): string | undefined {
  const c = s.conditions.find((x) => x.type === type);
  if (!c || c.status !== 'False') return undefined;
  return `${s.ref.kind}/${s.ref.namespace}/${s.ref.name} ${c.message}`;
}

export async function run(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseCommonFlags(normaliseEnvoyFlag(argv), {
      'strict-refs': { type: 'boolean' },
      envoy: { type: 'string' },
    });
  } catch (err) {
    process.stderr.write(`portico validate: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const files = (flags.filename as string[] | undefined) ?? [];
  if (files.length === 0) {
    process.stderr.write(`portico validate: at least one -f is required\n\n${HELP}`);
    return 2;
  }
  const now = parseNow(flags.now as string | undefined);
  let stdin: string | undefined;
  const readStdin = () => (stdin ??= readFileSync(0, 'utf8'));
  const manifests = readManifests(files, readStdin);
  for (const w of manifests.warnings) process.stderr.write(`warning: ${w}\n`);

  let failures = 0;
  const refused = refusedByApiServer(files, readStdin);
  for (const [id, errors] of refused) {
    process.stdout.write(`${id} ${errors}\n`);
    failures++;
  }
  const { result, envoy } = runPipelineOn(withoutRefused(manifests, refused), now);
  for (const s of result.statuses) {
    const invalid = line(s, 'Accepted');
    if (invalid) {
      process.stdout.write(`${invalid}\n`);
      failures++;
      continue;
    }
    const unresolved = line(s, 'ResolvedRefs');
    if (unresolved && flags['strict-refs']) {
      process.stdout.write(`${unresolved}\n`);
      failures++;
    } else if (unresolved) process.stderr.write(`warning: ${unresolved}\n`);
  }
  const real = await envoyCheckReport('validate', flags.envoy as string | undefined, envoy, result.ir);
  for (const r of real?.rejections ?? []) process.stdout.write(`${r}\n`);
  failures += real?.rejections.length ?? 0;
  for (const n of real?.notes ?? []) process.stderr.write(`${n}\n`);
  if (real?.error) process.stderr.write(`${real.error}\n`);
  const checked = result.statuses.length + refused.size;
  process.stderr.write(`portico validate: ${checked} object(s) checked, ${failures} rejected\n`);
  return failures > 0 || real?.error ? 1 : 0;
}
