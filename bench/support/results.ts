// Where benchmark results go: one JSON file per run (bench/results/<date>-<benchmark>.json) plus
// bench/results/latest.json, which keeps the newest result of every benchmark side by side. Also the machine
// description every result carries, and a plain-text table printer.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export const BENCH_DIR = join(import.meta.dirname, '..');
export const RESULTS_DIR = process.env.PORTICO_BENCH_RESULTS ?? join(BENCH_DIR, 'results');

export interface Machine {
  nproc: number;
  cpuModel: string;
  memTotalMiB: number;
  node: string;
  platform: string;
  /** 1/5/15-minute load averages when the result was written: other work on the machine skews timings. */
  loadAverage?: number[];
  commit?: string;
}

export function machine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    /* not Linux */
  }
  let commit: string | undefined;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: BENCH_DIR,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    /* not a git checkout */
  }
  return {
    nproc: os.availableParallelism(),
    cpuModel,
    memTotalMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    ...(commit ? { commit } : {}),
  };
}

export interface BenchResult {
  benchmark: string;
  quick: boolean;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  /** Goal checks: what was measured against what the issue asks. */
  goals: GoalCheck[];
  data: unknown;
}

export interface GoalCheck {
  measure: string;
  goal: string;
  value: number | string | null;
  unit: string;
  met: boolean | null;
  note?: string;
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes the per-run file and merges the result into latest.json; returns the per-run file's path. */
export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = result.startedAt.replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
  const file = join(RESULTS_DIR, `${stamp}-${result.benchmark}${result.quick ? '-quick' : ''}.json`);
  const text = JSON.stringify(result, null, 2) + '\n';
  writeAtomically(file, text);
  const latestPath = join(RESULTS_DIR, 'latest.json');
  let latest: { updatedAt?: string; results: Record<string, BenchResult & { file: string }> } = { results: {} };
  if (existsSync(latestPath)) {
    try {
      latest = JSON.parse(readFileSync(latestPath, 'utf8'));
      latest.results ??= {};
    } catch {
      latest = { results: {} };
    }
  }
  latest.updatedAt = result.finishedAt;
  latest.results[result.benchmark] = { ...result, file: file.slice(RESULTS_DIR.length + 1) };
  writeAtomically(latestPath, JSON.stringify(latest, null, 2) + '\n');
  return file;
}

/** Prints rows as an aligned plain-text table (numbers right-aligned). */
export function printTable(
  title: string,
  headers: string[],
  rows: Array<Array<string | number | null | undefined>>,
): void {
  const cells = rows.map((r) =>
    r.map((c) => (c === null || c === undefined || (typeof c === 'number' && Number.isNaN(c)) ? '—' : String(c))),
  );
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[], raw?: Array<unknown>) =>
    r.map((c, i) => (typeof raw?.[i] === 'number' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  process.stdout.write(`\n${title}\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  rows.forEach((r, i) => process.stdout.write(line(cells[i], r) + '\n'));
  process.stdout.write('\n');
}

export function printGoals(goals: GoalCheck[]): void {
  printTable(
    'goals',
    ['measure', 'goal', 'measured', 'met'],
    goals.map((g) => [
      g.measure,
      g.goal,
      g.value === null ? null : `${g.value} ${g.unit}`.trim(),
      g.met === null ? 'n/a' : g.met ? 'yes' : 'NO',
    ]),
  );
}

export function isQuick(argv = process.argv.slice(2)): boolean {
  return argv.includes('--quick');
}

/** `--name value` from argv, or undefined. */
export function flagValue(name: string, argv = process.argv.slice(2)): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
