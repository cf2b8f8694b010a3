// CPU profiles of the hot paths, summarised by self time (bench/cpu-profile.ts): the compile benchmark at the
// given sizes (compile+render+validate, 2 runs in one process) and the operator process during the propagation
// benchmark. Not part of `npm run bench` (profiling slows everything down); run it when choosing what to optimise.
//   tsx bench/profile.ts [--compile-sizes 10000,50000] [--compile-variants mix,hosted] [--propagation-size 1000]
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { summariseProfile, printProfile, type ProfileSummary } from './cpu-profile.js';
import { REPO_ROOT, runTsChild } from './support/child.js';
import { BENCH_DIR, flagValue, machine, writeResult } from './support/results.js';

const PROFILES = join(BENCH_DIR, 'profiles');

function newestProfile(dir: string): string | undefined {
  try {
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
    return files.length ? join(dir, files[files.length - 1]) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const sizes = (flagValue('compile-sizes') ?? '10000,50000').split(',');
  const variants = (flagValue('compile-variants') ?? 'mix,hosted').split(',');
  const propagationSize = flagValue('propagation-size') ?? '1000';
  const startedAt = new Date().toISOString();
  rmSync(PROFILES, { recursive: true, force: true });
  const summaries: Record<string, ProfileSummary | { error: string }> = {};

  const bench = (script: string, args: string[]) =>
    runTsChild(join(BENCH_DIR, script), args, { timeoutMs: 900_000, env: { PORTICO_BENCH_RESULTS: join(PROFILES, 'results') } });
  await bench('compile.ts', ['--cpu-prof', '--sizes', sizes.join(','), '--variants', variants.join(',')]);
  for (const v of variants) for (const n of sizes) {
    const file = newestProfile(join(PROFILES, `compile-${n}-${v}`));
    summaries[`compile-${n}-${v}`] = file ? summariseProfile(file) : { error: 'no profile written (the worker died?)' };
  }
  await bench('propagation.ts', ['--cpu-prof', '--sizes', propagationSize, '--workloads', 'fits', '--changes', '50']);
  const op = newestProfile(join(PROFILES, `propagation-fits-${propagationSize}`));
  summaries[`operator-propagation-fits-${propagationSize}`] = op ? summariseProfile(op) : { error: 'no profile written' };

  for (const [name, s] of Object.entries(summaries)) {
    if ('error' in s) process.stdout.write(`\n${name}: ${s.error}\n`);
    else printProfile(s, name);
  }
  const file = writeResult({ benchmark: 'profile', quick: false, startedAt, finishedAt: new Date().toISOString(), machine: machine(), goals: [], data: summaries });
  process.stdout.write(`wrote ${file.slice(REPO_ROOT.length + 1)}\n`);
}

await main();
