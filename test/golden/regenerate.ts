// `npm run golden`: rewrites test/golden/<case>/envoy.json and status.yaml from input.yaml. Review the diff.
// Refuses to write a case whose Envoy config fails the proto validator.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { GOLDEN_DIR, goldenCases, renderCase } from './render-case.js';

let failed = false;
for (const name of goldenCases()) {
  const out = renderCase(name);
  const issues = validateEnvoyBootstrap(out.bootstrap);
  if (issues.length > 0) {
    failed = true;
    process.stderr.write(`${name}: Envoy config invalid, not written:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}\n`);
    continue;
  }
  writeFileSync(join(GOLDEN_DIR, name, 'envoy.json'), out.envoyJson);
  writeFileSync(join(GOLDEN_DIR, name, 'status.yaml'), out.statusYaml);
  process.stdout.write(`${name}: written\n`);
}
process.exitCode = failed ? 1 : 0;
