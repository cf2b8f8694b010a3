// The operator as its own OS process, as it runs in a pod: `node bench/.build/operator/cli.js run --kubeconfig …`.
// The build is a plain transpile of operator/**/*.ts with esbuild (tsx's own transpiler), one file per source
// file as tsc would emit, so the process carries no TypeScript loader and its RSS is the product's. Its logs go
// to a file the benchmark reads back for errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './child.js';

const BUILD_DIR = join(REPO_ROOT, 'bench', '.build');
let built: Promise<string> | undefined;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory()
      ? sources(p)
      : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.startsWith('_')
        ? [p]
        : [];
  });
}

/** Transpiles the operator into bench/.build once per process; returns the CLI's path. */
export function buildOperator(): Promise<string> {
  return (built ??= (async () => {
    const { build } = await import('esbuild');
    await build({
      entryPoints: sources(join(REPO_ROOT, 'operator')),
      outdir: join(BUILD_DIR, 'operator'),
      outbase: join(REPO_ROOT, 'operator'),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
    });
    writeFileSync(join(BUILD_DIR, 'package.json'), '{"type":"module"}\n');
    return join(BUILD_DIR, 'operator', 'cli.js');
  })());
}

export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** A kubeconfig like `source` but pointing at `serverUrl` (e.g. the counting proxy). */
export function kubeconfigVia(source: string, originalUrl: string, serverUrl: string, target: string): string {
  writeFileSync(target, readFileSync(source, 'utf8').split(originalUrl).join(serverUrl));
  return target;
}

export interface MemorySample {
  rssMiB: number;
  /** Peak RSS of the process so far (VmHWM). */
  hwmMiB: number;
}

export interface OperatorProcess {
  pid: number;
  httpPort: number;
  logFile: string;
  memory(): MemorySample;
  metrics(): Promise<string>;
  /** Log lines at level error or warn (JSON parsed), newest last. */
  problems(): Array<Record<string, unknown>>;
  /** Resolves with the `count`-th log line (from now on) whose message includes `text`, or undefined after timeoutMs. */
  waitForLog(text: string, count: number, timeoutMs: number): Promise<Record<string, unknown> | undefined>;
  /** SIGTERM, wait for exit (a --cpu-prof profile is written then). */
  stop(): Promise<number | null>;
}

export interface OperatorProcessOptions {
  kubeconfigPath: string;
  logFile: string;
  nodeFlags?: string[];
  logLevel?: string;
  extraArgs?: string[];
}

export async function startOperatorProcess(o: OperatorProcessOptions): Promise<OperatorProcess> {
  const cli = await buildOperator();
  const httpPort = await freePort();
  const log = createWriteStream(o.logFile);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(o.nodeFlags ?? []),
      cli,
      'run',
      '--kubeconfig',
      o.kubeconfigPath,
      '--http-host',
      '127.0.0.1',
      '--http-port',
      String(httpPort),
      '--log-level',
      o.logLevel ?? 'info',
      '--identity',
      'bench-operator',
      ...(o.extraArgs ?? []),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  // Log lines as events, so a benchmark can stop waiting as soon as the operator reports a failure.
  const lineListeners = new Set<(line: Record<string, unknown>) => void>();
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      if (!l.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(l) as Record<string, unknown>;
        for (const f of lineListeners) f(parsed);
      } catch {
        /* not a log line */
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Wait for the HTTP server (the process prints nothing we could wait on more precisely).
  for (let i = 0; ; i++) {
    try {
      await fetch(`http://127.0.0.1:${httpPort}/healthz`);
      break;
    } catch {
      if (child.exitCode !== null || i > 300)
        throw new Error(`operator did not start; see ${relative(REPO_ROOT, o.logFile)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    pid: child.pid!,
    httpPort,
    logFile: o.logFile,
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMiB: Math.round((kb('VmRSS') / 1024) * 10) / 10, hwmMiB: Math.round((kb('VmHWM') / 1024) * 10) / 10 };
    },
    async metrics() {
      return (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    },
    problems() {
      const lines = readFileSync(o.logFile, 'utf8').split('\n');
      const out: Array<Record<string, unknown>> = [];
      for (const line of lines) {
        if (!line.includes('"level":"error"') && !line.includes('"level":"warn"')) continue;
        try {
          out.push(JSON.parse(line));
        } catch {
          out.push({ raw: line.slice(0, 500) });
        }
      }
      return out;
    },
    waitForLog(text, count, timeoutMs) {
      return new Promise((resolve) => {
        let seen = 0;
        const done = (line: Record<string, unknown> | undefined) => {
          clearTimeout(timer);
          lineListeners.delete(listener);
          resolve(line);
        };
        const listener = (line: Record<string, unknown>) => {
          if (String(line.message ?? '').includes(text) && ++seen >= count) done(line);
        };
        const timer = setTimeout(() => done(undefined), timeoutMs);
        lineListeners.add(listener);
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      log.end();
      return code;
    },
  };
}

/** Sum of a metric over the label sets that contain all of `labels`, from Prometheus text. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}
