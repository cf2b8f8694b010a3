// CPU profiles of the hot paths, summarised by self time (bench/cpu-profile.ts): the compile benchmark at the
// given sizes (compile+render+validate, 2 runs in one process) and the operator process during the propagation
// benchmark. Not part of `npm run bench` (profiling slows everything down); run it when choosing what to optimise.
//   tsx bench/profile.ts [--compile-sizes 10000,50000] [--compile-variants mix,hosted] [--propagation-size 1000]
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { busiestProfile, summariseProfile, printProfile, type ProfileSummary } from './cpu-profile.js';
import { REPO_ROOT, runTsChild } from './support/child.js';
import { BENCH_DIR, flagValue, machine, writeResult } from './support/results.js';

const PROFILES = join(BENCH_DIR, 'profiles');

async function main(): Promise<void> {
  const sizes = (flagValue('compile-sizes') ?? '10000,50000').split(',');
  const variants = (flagValue('compile-variants') ?? 'mix,hosted').split(',');
  const propagationSize = flagValue('propagation-size') ?? '1000';
  const startedAt = new Date().toISOString();
  const summaries: Record<string, ProfileSummary | { error: string }> = {};

  const only = process.argv.includes('--summarise-only'); // re-summarise the profiles already on disk
  if (!only) rmSync(PROFILES, { recursive: true, force: true });
  const bench = async (script: string, args: string[]) => (only ? undefined : run(script, args));
  const run = (script: string, args: string[]) =>
    runTsChild(join(BENCH_DIR, script), args, {
      timeoutMs: 900_000,
      env: { PORTICO_BENCH_RESULTS: join(PROFILES, 'results') },
    });
  await bench('compile.ts', ['--cpu-prof', '--sizes', sizes.join(','), '--variants', variants.join(',')]);
  for (const v of variants)
    for (const n of sizes) {
      const file = busiestProfile(join(PROFILES, `compile-${n}-${v}`));
      summaries[`compile-${n}-${v}`] = file
        ? summariseProfile(file)
        : { error: 'no profile written (the worker died?)' };
    }
  await bench('propagation.ts', ['--cpu-prof', '--sizes', propagationSize, '--workloads', 'fits', '--changes', '50']);
  const op = busiestProfile(join(PROFILES, `propagation-fits-${propagationSize}`));
  summaries[`operator-propagation-fits-${propagationSize}`] = op
    ? summariseProfile(op)
    : { error: 'no profile written' };

  for (const [name, s] of Object.entries(summaries)) {
    if ('error' in s) process.stdout.write(`\n${name}: ${s.error}\n`);
    else printProfile(s, name);
  }
  const file = writeResult({
    benchmark: 'profile',
    quick: false,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    goals: [],
    data: summaries,
  });
  process.stdout.write(`wrote ${file.slice(REPO_ROOT.length + 1)}\n`);
}

await main();
