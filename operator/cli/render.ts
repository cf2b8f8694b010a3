// `portico render -f <file|dir>... [-o json|yaml] [--status] [--now <time>]`: compile Mapping/TLSContext/
// Service/Secret YAML into the Envoy config offline, with the same functions the operator uses. The output is
// always checked against Envoy's protos; an invalid result is a Portico bug and fails loudly. With
// --envoy[=PATH] real Envoy loads it too (envoy-flag.ts); if Envoy refuses it, nothing is printed but why.
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { readManifests, type ManifestSet } from './manifest-files.js';
import { compileSnapshot, type CompileResult } from '../compile/index.js';
import type { ObjectStatus } from '../compile/types.js';
import { renderEnvoyConfig, type EnvoyConfig } from '../envoy/index.js';
import { validateEnvoyBootstrap } from '../envoy-validate/index.js';
import { envoyCheckReport, normaliseEnvoyFlag } from './envoy-flag.js';

const HELP = `usage: portico render -f <file|dir>... [-o json|yaml] [--status] [--envoy[=PATH]] [--now <time>]

Compile Mappings, TLSContexts, Services and Secrets from YAML into the Envoy v3 bootstrap, offline.

flags:
  -f, --filename <path>  a file, a directory (read recursively) or - for stdin; repeatable
  -o, --output <fmt>     json (default) or yaml
      --status           also print each Mapping/TLSContext status: {envoy, statuses}
      --envoy[=PATH]     also load the config (with its certificates) into real Envoy (envoy --mode
                         validate; PATH, or else envoy on PATH); if Envoy refuses it, exit 1 saying why
      --now <time>       ISO time for certificate validity checks (default: now)
  -h, --help             this help
`;

export interface Pipeline {
  manifests: ManifestSet;
  result: CompileResult;
  envoy: EnvoyConfig;
}

/** Reads the files, compiles, renders and validates. Throws with the validator's findings if Envoy would reject it. */
export function runPipeline(files: readonly string[], now: string): Pipeline {
  return runPipelineOn(readManifests(files), now);
}

/** The same, on objects already read. */
export function runPipelineOn(manifests: ManifestSet, now: string): Pipeline {
  const result = compileSnapshot({ ...manifests, now });
  const envoy = renderEnvoyConfig(result.ir);
  const issues = validateEnvoyBootstrap(envoy.bootstrap);
  if (issues.length > 0) {
    const lines = issues.slice(0, 20).map((i) => `  ${i.path}: ${i.message}`);
    throw new Error(
      `internal error: the generated Envoy config fails validation (a Portico bug):\n${lines.join('\n')}`,
    );
  }
  return { manifests, result, envoy };
}

/** The status of one object as printed by `render --status` and stored in golden status.yaml files. */
export function statusView(s: ObjectStatus): Record<string, unknown> {
  return {
    kind: s.ref.kind,
    namespace: s.ref.namespace,
    name: s.ref.name,
    ...(s.ref.generation !== undefined ? { observedGeneration: s.ref.generation } : {}),
    inConfig: s.inConfig,
    ...(s.extra ?? {}),
    conditions: s.conditions,
  };
}

export function parseNow(value: string | undefined): string {
  if (value === undefined) return new Date().toISOString();
  const t = Date.parse(value);
  if (!Number.isFinite(t))
    throw new Error(`--now: invalid time ${JSON.stringify(value)} (want e.g. 2026-01-01T00:00:00Z)`);
  return new Date(t).toISOString();
}

export type Flags = Record<string, string | boolean | string[] | undefined>;

/** -f/--filename (repeatable), --now, -h plus the command's own flags. Throws on unknown flags. */
export function parseCommonFlags(
  argv: string[],
  extra: Record<string, { type: 'string' | 'boolean'; short?: string }> = {},
): Flags {
  return parseArgs({
    args: argv,
    options: {
      filename: { type: 'string', short: 'f', multiple: true },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...extra,
    },
    allowPositionals: false,
    strict: true,
  }).values as Flags;
}

export async function run(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseCommonFlags(normaliseEnvoyFlag(argv), {
      output: { type: 'string', short: 'o' },
      status: { type: 'boolean' },
      envoy: { type: 'string' },
    });
  } catch (err) {
    process.stderr.write(`portico render: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const files = (flags.filename as string[] | undefined) ?? [];
  const output = (flags.output as string | undefined) ?? 'json';
  if (files.length === 0 || (output !== 'json' && output !== 'yaml')) {
    process.stderr.write(
      `portico render: ${files.length === 0 ? 'at least one -f is required' : `unknown -o ${output} (json or yaml)`}\n\n${HELP}`,
    );
    return 2;
  }
  const { manifests, result, envoy } = runPipeline(files, parseNow(flags.now as string | undefined));
  for (const w of manifests.warnings) process.stderr.write(`warning: ${w}\n`);
  const rejected = result.statuses.filter((s) => !s.inConfig).length;
  if (rejected > 0)
    process.stderr.write(`portico render: ${rejected} object(s) not in the config; see --status or portico validate\n`);
  const real = await envoyCheckReport('render', flags.envoy as string | undefined, envoy, result.ir);
  for (const n of real?.notes ?? []) process.stderr.write(`${n}\n`);
  if (real?.error || real?.rejections.length) {
    for (const r of real.rejections) process.stderr.write(`${r}\n`);
    if (real.error) process.stderr.write(`${real.error}\n`);
    return 1;
  }

  const doc = flags.status ? { envoy: envoy.bootstrap, statuses: result.statuses.map(statusView) } : envoy.bootstrap;
  process.stdout.write(
    output === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : yaml.dump(doc, { noRefs: true, lineWidth: -1 }),
  );
  return 0;
}
