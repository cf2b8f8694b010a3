// `npm run bench`: every benchmark, each in its own process (so one's heap never disturbs the next), then one
// summary of all goals from bench/results/latest.json.
//   npm run bench [-- --quick] [-- --only compile,idle]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './support/child.js';
import {
  BENCH_DIR,
  RESULTS_DIR,
  flagValue,
  isQuick,
  printGoals,
  type BenchResult,
  type GoalCheck,
} from './support/results.js';

const ALL = ['compile', 'envoy-validate', 'propagation', 'burst', 'memory', 'idle', 'stats', 'xds-served'];

function runOne(name: string, args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, `${name}.ts`), ...args], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

async function main(): Promise<number> {
  const quick = isQuick();
  const only = flagValue('only')?.split(',') ?? ALL;
  const started = new Date().toISOString();
  const t0 = performance.now();
  const failed: string[] = [];
  const durations: Record<string, number> = {};
  for (const name of only) {
    if (!ALL.includes(name)) throw new Error(`--only: unknown benchmark "${name}" (known: ${ALL.join(', ')})`);
    process.stdout.write(`\n=== ${name}${quick ? ' (quick)' : ''} ===\n`);
    const t = performance.now();
    const code = await runOne(name, quick ? ['--quick'] : []);
    durations[name] = Math.round((performance.now() - t) / 1000);
    if (code !== 0) failed.push(`${name} (exit ${code})`);
  }
  const latest = JSON.parse(readFileSync(join(RESULTS_DIR, 'latest.json'), 'utf8')) as {
    results: Record<string, BenchResult>;
  };
  const goals: GoalCheck[] = [];
  for (const name of only) {
    const r = latest.results[name];
    if (r && r.startedAt >= started) goals.push(...r.goals);
  }
  process.stdout.write(
    `\n=== summary (${Math.round((performance.now() - t0) / 1000)} s: ${Object.entries(durations)
      .map(([k, v]) => `${k} ${v} s`)
      .join(', ')}) ===\n`,
  );
  printGoals(goals);
  for (const g of goals.filter((x) => x.note)) process.stdout.write(`- ${g.measure}: ${g.note}\n`);
  if (failed.length) process.stdout.write(`\nfailed: ${failed.join(', ')}\n`);
  return failed.length ? 1 : 0;
}

process.exitCode = await main();
