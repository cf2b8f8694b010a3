// Shared by regenerate.ts and the golden tests. Two layers, as Envoy Gateway's goldens:
//   compile: input.yaml (+ shared base fixtures)  →  ir.json + status.yaml
//   render:  ir.json                               →  envoy/listeners.json, envoy/routes.json, envoy/clusters.json
// The render layer reads the committed ir.json, so an IR change shows as a diff in ir.json alone and a
// renderer change as a diff in envoy/ alone. A case may have only an ir.json (an IR the compiler does not make).
//
// `now` is fixed (GOLDEN_NOW, or a `# now: <ISO time>` line in input.yaml) so certificate checks are stable.
// A `# options: {"hostOwnership": "open"}` line compiles with those CompileOptions (default: the safe ones).
// A `# base: services` line prepends test/golden/base/services.yaml (several lines, several bases).
// Certificate files appear in ir.json as a digest, never as PEM (the renderer needs only their names).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { readManifests } from '../../operator/cli/manifest-files.js';
import { statusView } from '../../operator/cli/render.js';
import { compileSnapshot, type CompileOptions } from '../../operator/compile/index.js';
import type { GatewayIR } from '../../operator/compile/ir.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';

export const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));
export const BASE_DIR = join(GOLDEN_DIR, 'base');
export const GOLDEN_NOW = '2030-01-01T00:00:00.000Z';

/** Every case: a folder with an input.yaml or an ir.json. */
export function goldenCases(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter(
      (d) =>
        d !== 'base' && (existsSync(join(GOLDEN_DIR, d, 'input.yaml')) || existsSync(join(GOLDEN_DIR, d, 'ir.json'))),
    )
    .sort();
}

export const hasInput = (name: string): boolean => existsSync(join(GOLDEN_DIR, name, 'input.yaml'));

/** The manifest files a case compiles: its bases, then its input.yaml. */
export function caseFiles(name: string): string[] {
  const input = join(GOLDEN_DIR, name, 'input.yaml');
  const bases = [...readFileSync(input, 'utf8').matchAll(/^# base: (\S+)$/gm)].map((m) =>
    join(BASE_DIR, `${m[1]}.yaml`),
  );
  return [...bases, input];
}

export interface CompiledCase {
  irJson: string;
  statusYaml: string;
  ir: GatewayIR;
  certFiles: Record<string, string>;
}

const digest = (pem: string): string =>
  `sha256:${createHash('sha256').update(pem).digest('hex').slice(0, 16)} (${Buffer.byteLength(pem)} bytes)`;

export function compileCase(name: string): CompiledCase {
  const text = readFileSync(join(GOLDEN_DIR, name, 'input.yaml'), 'utf8');
  const nowLine = /^# now: (\S+)$/m.exec(text);
  const now = nowLine ? new Date(nowLine[1]).toISOString() : GOLDEN_NOW;
  const optionsLine = /^# options: (\{.*\})$/m.exec(text);
  const options = optionsLine ? (JSON.parse(optionsLine[1]) as Partial<CompileOptions>) : undefined;
  const { ir, statuses } = compileSnapshot({ ...readManifests(caseFiles(name)), now }, options);
  const shown: GatewayIR = {
    ...ir,
    tls: { files: Object.fromEntries(Object.entries(ir.tls.files).map(([f, pem]) => [f, digest(pem)])) },
  };
  return {
    irJson: `${JSON.stringify(shown, null, 2)}\n`,
    statusYaml: yaml.dump(
      // Warnings (the data reconcile turns into Warning Events) are shown after each status they belong to.
      {
        now,
        ...(options ? { options } : {}),
        statuses: statuses.map((s) => ({ ...statusView(s), ...(s.warnings ? { warnings: s.warnings } : {}) })),
      },
      { noRefs: true, lineWidth: -1 },
    ),
    ir,
    certFiles: ir.tls.files,
  };
}

export interface RenderedCase {
  /** envoy/<file> → text. */
  files: Record<string, string>;
  bootstrap: object;
}

const pretty = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** The bootstrap split into its listeners (route configs replaced by their names), route configs and clusters. */
export function renderIr(ir: GatewayIR): RenderedCase {
  const bootstrap = renderEnvoyConfig(ir).bootstrap as { static_resources: { listeners: any[]; clusters: unknown[] } };
  const routes: unknown[] = [];
  const listeners = bootstrap.static_resources.listeners.map((l) => ({
    ...l,
    filter_chains: l.filter_chains.map((fc: any, i: number) => ({
      ...fc,
      filters: fc.filters.map((f: any) => {
        const rc = f.typed_config?.route_config;
        if (!rc) return f;
        routes.push({ listener: l.name, filter_chain: fc.name ?? i, route_config: rc });
        return { ...f, typed_config: { ...f.typed_config, route_config: `${rc.name} (routes.json)` } };
      }),
    })),
  }));
  return {
    files: {
      'listeners.json': pretty(listeners),
      'routes.json': pretty(routes),
      'clusters.json': pretty(bootstrap.static_resources.clusters),
    },
    bootstrap,
  };
}

export const ENVOY_FILES = ['listeners.json', 'routes.json', 'clusters.json'] as const;

export function committedIr(name: string): GatewayIR {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, name, 'ir.json'), 'utf8')) as GatewayIR;
}

export interface GoldenOutput {
  envoyJson: string;
  bootstrap: object;
  certFiles: Record<string, string>;
}

/** A compiled case's whole Envoy config with its real certificate files (for real Envoy). */
export function renderCase(name: string): GoldenOutput {
  const compiled = compileCase(name);
  const envoy = renderEnvoyConfig(compiled.ir);
  return {
    envoyJson: `${JSON.stringify(envoy.bootstrap, null, 2)}\n`,
    bootstrap: envoy.bootstrap,
    certFiles: envoy.certFiles,
  };
}
