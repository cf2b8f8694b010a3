// Summarises a V8 .cpuprofile (from node --cpu-prof): self time per function (name + file:line) and per file,
// as a share of all samples, so the hot spots can be named precisely. Usable alone:
//   tsx bench/cpu-profile.ts <file.cpuprofile> [--top 25]
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './support/child.js';
import { flagValue, printTable } from './support/results.js';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  function: string;
  location: string;
  selfMs: number;
  selfPct: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  gcMs: number;
  functions: HotSpot[];
  files: Array<{ file: string; selfMs: number; selfPct: number }>;
}

function where(url: string): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const rel = path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path;
  // The benchmark's operator build mirrors operator/: show source paths.
  return rel.replace(/^bench\/\.build\//, '').replace(/\.js$/, '.ts');
}

export function summariseProfile(path: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const fn = new Map<string, { function: string; location: string; us: number }>();
  const files = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let gcUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    totalUs += us;
    if (name === '(idle)') idleUs += us;
    if (name === '(garbage collector)') gcUs += us;
    const loc = `${where(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    const key = `${name}@${loc}`;
    const e = fn.get(key) ?? { function: name, location: loc, us: 0 };
    e.us += us;
    fn.set(key, e);
    if (name === '(idle)') continue;
    const file = where(n.callFrame.url);
    files.set(file, (files.get(file) ?? 0) + us);
  }
  const busy = totalUs - idleUs;
  const pct = (us: number) => Math.round((us / busy) * 1000) / 10;
  return {
    file: relative(REPO_ROOT, path),
    totalMs: Math.round(totalUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    gcMs: Math.round(gcUs / 1000),
    functions: [...fn.values()]
      .filter((e) => e.function !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({
        function: e.function,
        location: e.location,
        selfMs: Math.round(e.us / 1000),
        selfPct: pct(e.us),
      })),
    files: [...files.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([file, us]) => ({ file, selfMs: Math.round(us / 1000), selfPct: pct(us) })),
  };
}

export function printProfile(s: ProfileSummary, title: string): void {
  process.stdout.write(
    `\n${title}: ${s.file}\n  ${s.totalMs} ms sampled, ${s.idleMs} ms idle, ${s.gcMs} ms GC; shares are of non-idle time\n`,
  );
  printTable(
    'top self time by function',
    ['self ms', '%', 'function', 'location'],
    s.functions.map((f) => [f.selfMs, f.selfPct, f.function, f.location]),
  );
  printTable(
    'self time by file',
    ['self ms', '%', 'file'],
    s.files.map((f) => [f.selfMs, f.selfPct, f.file]),
  );
}

/** The profile with the most non-idle time in a folder: with tsx, the loader's own thread writes a profile too. */
export function busiestProfile(dir: string): string | undefined {
  let best: { file: string; busy: number } | undefined;
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return undefined;
  }
  for (const f of files) {
    const s = summariseProfile(join(dir, f), 1);
    const busy = s.totalMs - s.idleMs;
    if (!best || busy > best.busy) best = { file: join(dir, f), busy };
  }
  return best?.file;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx bench/cpu-profile.ts <file.cpuprofile> [--top N]\n');
    process.exit(2);
  }
  printProfile(summariseProfile(file, Number(flagValue('top') ?? 25)), 'profile');
}
