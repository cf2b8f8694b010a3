// Shared by regenerate.ts and golden.test.ts: one golden case = input.yaml → envoy.json + status.yaml.
// `now` is fixed (GOLDEN_NOW, or a `# now: <ISO time>` line in input.yaml) so certificate checks are stable.
// A `# options: {"hostOwnership": "open"}` line compiles with those CompileOptions (default: the safe ones).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { readManifests } from '../../operator/cli/manifest-files.js';
import { statusView } from '../../operator/cli/render.js';
import { compileSnapshot, type CompileOptions } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';

export const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));
export const GOLDEN_NOW = '2030-01-01T00:00:00.000Z';

export function goldenCases(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((d) => existsSync(join(GOLDEN_DIR, d, 'input.yaml')))
    .sort();
}

export interface GoldenOutput {
  envoyJson: string;
  statusYaml: string;
  bootstrap: object;
  certFiles: Record<string, string>;
}

export function renderCase(name: string): GoldenOutput {
  const input = join(GOLDEN_DIR, name, 'input.yaml');
  const nowLine = /^# now: (\S+)$/m.exec(readFileSync(input, 'utf8'));
  const now = nowLine ? new Date(nowLine[1]).toISOString() : GOLDEN_NOW;
  const optionsLine = /^# options: (\{.*\})$/m.exec(readFileSync(input, 'utf8'));
  const options = optionsLine ? (JSON.parse(optionsLine[1]) as Partial<CompileOptions>) : undefined;
  const manifests = readManifests([input]);
  const { ir, statuses } = compileSnapshot({ ...manifests, now }, options);
  const envoy = renderEnvoyConfig(ir);
  return {
    envoyJson: `${JSON.stringify(envoy.bootstrap, null, 2)}\n`,
    statusYaml: yaml.dump(
      // Warnings (the data reconcile turns into Warning Events) are shown after each status they belong to.
      { now, ...(options ? { options } : {}), hash: envoy.hash, certFiles: Object.keys(envoy.certFiles), statuses: statuses.map((s) => ({ ...statusView(s), ...(s.warnings ? { warnings: s.warnings } : {}) })) },
      { noRefs: true, lineWidth: -1 },
    ),
    bootstrap: envoy.bootstrap,
    certFiles: envoy.certFiles,
  };
}
