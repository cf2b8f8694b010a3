// `npm run golden`: rewrites each case's ir.json and status.yaml from input.yaml, then its envoy/*.json from the
// ir.json just written. Review the diff. Refuses to write a case whose Envoy config fails the proto validator.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { GOLDEN_DIR, committedIr, compileCase, goldenCases, hasInput, renderIr } from './render-case.js';

let failed = false;
for (const name of goldenCases()) {
  const dir = join(GOLDEN_DIR, name);
  if (hasInput(name)) {
    const compiled = compileCase(name);
    writeFileSync(join(dir, 'ir.json'), compiled.irJson);
    writeFileSync(join(dir, 'status.yaml'), compiled.statusYaml);
  }
  const rendered = renderIr(committedIr(name));
  const issues = validateEnvoyBootstrap(rendered.bootstrap);
  if (issues.length > 0) {
    failed = true;
    process.stderr.write(
      `${name}: Envoy config invalid, envoy/ not written:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}\n`,
    );
    continue;
  }
  mkdirSync(join(dir, 'envoy'), { recursive: true });
  for (const [file, text] of Object.entries(rendered.files)) writeFileSync(join(dir, 'envoy', file), text);
  process.stdout.write(`${name}: written\n`);
}
process.exitCode = failed ? 1 : 0;
