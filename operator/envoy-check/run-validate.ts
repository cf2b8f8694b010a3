// Runs `envoy --mode validate` on a config file: Envoy loads and checks the whole config (reading the
// certificate files it names) without opening listeners or connecting upstreams. Hot restart is disabled, so
// any number of checks can run side by side without shared memory or base ids.
import { spawn } from 'node:child_process';

export type EnvoyVerdict =
  | { kind: 'accepted'; ms: number }
  /** Envoy refused the config; `message` is Envoy's own text. */
  | { kind: 'rejected'; message: string; ms: number }
  /** The check itself did not run to a verdict (no such binary, killed, timed out, unexpected output). */
  | { kind: 'failed'; message: string; ms: number };

export const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 64 * 1024;
/** What Envoy logs, at critical level, before the reason (source/server/config_validation/server.cc). */
const ERROR_MARK = /error initializing configuration '[^']*': /;

export function validateArgs(configPath: string): string[] {
  return [
    '--mode',
    'validate',
    '-c',
    configPath,
    '--disable-hot-restart',
    '--concurrency',
    '1',
    '--log-level',
    'critical',
    '--log-format',
    '%v',
  ];
}

/** Envoy's verdict from its exit code and output (separate from running it, so it is tested on its own). */
export function parseVerdict(
  code: number | null,
  signal: string | null,
  stdout: string,
  stderr: string,
  ms: number,
): EnvoyVerdict {
  const mark = ERROR_MARK.exec(stderr);
  if (code === 0 && / OK\s*$/.test(stdout.trim())) return { kind: 'accepted', ms };
  if (code !== 0 && mark) return { kind: 'rejected', message: stderr.slice(mark.index + mark[0].length).trim(), ms };
  const tail = (stderr.trim() || stdout.trim()).split('\n').slice(-5).join('\n');
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return { kind: 'failed', message: `envoy ${how}${tail ? `: ${tail}` : ' without output'}`, ms };
}

export function runEnvoyValidate(
  envoyPath: string,
  configPath: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<EnvoyVerdict> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const child = spawn(envoyPath, validateArgs(configPath), { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString('utf8')).slice(-MAX_OUTPUT)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-MAX_OUTPUT)));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ kind: 'failed', message: `cannot run ${envoyPath}: ${err.message}`, ms: elapsed() });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut)
        resolve({
          kind: 'failed',
          message: `envoy --mode validate did not finish within ${timeoutMs / 1000} s`,
          ms: elapsed(),
        });
      else resolve(parseVerdict(code, signal, stdout, stderr, elapsed()));
    });
  });
}

/** `envoy --version` → "1.40.0", or undefined when it cannot be read. */
export function envoyVersion(envoyPath: string, timeoutMs = 10_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(envoyPath, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(/\/(\d+\.\d+\.\d+)\//.exec(out)?.[1]);
    });
  });
}
