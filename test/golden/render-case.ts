// Shared by regenerate.ts and golden.test.ts: one golden case = input.yaml → envoy.json + status.yaml.
// `now` is fixed (GOLDEN_NOW, or a `# now: <ISO time>` line in input.yaml) so certificate checks are stable.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { readManifests } from '../../operator/api/manifests.js';
import { statusView } from '../../operator/cli/render.js';
import { compileSnapshot } from '../../operator/compile/index.js';
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
  const manifests = readManifests([input]);
  const { ir, statuses } = compileSnapshot({ ...manifests, now });
  const envoy = renderEnvoyConfig(ir);
  return {
    envoyJson: `${JSON.stringify(envoy.bootstrap, null, 2)}\n`,
    statusYaml: yaml.dump(
      { now, hash: envoy.hash, certFiles: Object.keys(envoy.certFiles), statuses: statuses.map(statusView) },
      { noRefs: true, lineWidth: -1 },
    ),
    bootstrap: envoy.bootstrap,
    certFiles: envoy.certFiles,
  };
}
