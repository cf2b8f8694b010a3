// `tsx test/support/run-tier.ts <tier> [mocha options…]`: runs one tier of the suite (tiers.ts) with mocha and
// exits with mocha's code.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TIERS, tierSpecs, type TierName } from './tiers.js';

const [name, ...mochaArgs] = process.argv.slice(2);
if (!name || !Object.hasOwn(TIERS, name)) {
  console.error(
    `usage: run-tier.ts <tier> [mocha options…]; tiers: ${Object.keys(TIERS).join(', ')}; got ${JSON.stringify(name ?? '')}`,
  );
  process.exit(2);
}
const tier: TierName = name as TierName;
const env = { ...(TIERS[tier] as { env?: Record<string, string> }).env, ...process.env };
const mocha = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'mocha');
const run = spawnSync(mocha, [...tierSpecs(tier), ...mochaArgs], {
  stdio: 'inherit',
  env,
  cwd: join(import.meta.dirname, '..', '..'),
});
process.exit(run.status ?? 1);
