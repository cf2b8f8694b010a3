// The suite's figures: each test records its section; they are merged into test/reliability/last-run.json
// (which the README quotes) and printed as one table when the run ends. Only the full run
// (`npm run test:reliability`) updates the committed file, so `npm test` leaves the tree clean; quick runs write
// to the temp folder.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL, runSeed } from './seeded-random.js';

export const LAST_RUN = FULL
  ? join(import.meta.dirname, '..', 'last-run.json')
  : join(tmpdir(), 'portico-reliability-last-run.json');

export interface SectionRow {
  /** e.g. "API faults during churn". */
  scenario: string;
  faultsInjected?: number;
  convergeP50Ms?: number;
  convergeMaxMs?: number;
  rollouts?: number;
  inputs?: number;
  lostUpdates?: number;
  crashes?: number;
  notes?: string;
}

const rows = new Map<string, SectionRow & { details?: unknown }>();

/** Record (or replace) a scenario's row; `details` go to the JSON file only. */
export function recordSection(key: string, row: SectionRow, details?: unknown): void {
  rows.set(key, { ...row, details });
  let previous: { sections?: Record<string, unknown> } = {};
  try {
    if (existsSync(LAST_RUN)) previous = JSON.parse(readFileSync(LAST_RUN, 'utf8'));
  } catch {
    previous = {};
  }
  const mode = FULL ? 'full' : 'quick';
  const sameMode = (previous as { mode?: string }).mode === mode;
  const sections = { ...(sameMode ? previous.sections : {}), [key]: { ...row, details } };
  const out = { mode, seed: runSeed(), node: process.version, updatedAt: new Date().toISOString(), sections };
  writeFileSync(LAST_RUN, JSON.stringify(out, null, 2) + '\n');
}

function cell(v: unknown): string {
  if (v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(0);
  return String(v);
}

export function summaryTable(): string {
  const head = [
    'scenario',
    'faults',
    'converge p50 ms',
    'converge max ms',
    'rollouts',
    'inputs',
    'lost updates',
    'crashes',
  ];
  const body = [...rows.values()].map((r) =>
    [
      r.scenario,
      r.faultsInjected,
      r.convergeP50Ms,
      r.convergeMaxMs,
      r.rollouts,
      r.inputs,
      r.lostUpdates,
      r.crashes,
    ].map(cell),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

// One root-level hook: after every test file of the run, print what was recorded.
after(() => {
  if (rows.size === 0) return;
  process.stdout.write(
    `\nReliability summary (${FULL ? 'full' : 'quick'}, seed ${runSeed()}; ${LAST_RUN}):\n${summaryTable()}\n`,
  );
});
