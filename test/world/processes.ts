// Child processes of the test world: output to a log file, stopped by PID (SIGTERM, then SIGKILL after a grace
// period). Every process is also killed when the test process exits, however it exits, so a failed run leaves no
// control plane or Envoy behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

export interface WorldProcess {
  name: string;
  child: ChildProcess;
  logPath: string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** The last `bytes` of its log. */
  logTail(bytes?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function startProcess(name: string, argv: string[], logPath: string, opts: StartOptions = {}): WorldProcess {
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(argv[0], argv.slice(1), {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', (err) => {
      log.write(`\n[world] could not start ${argv[0]}: ${err.message}\n`);
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      log.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const logTail = (bytes = 4000): string => {
    try {
      const text = readFileSync(logPath, 'utf8');
      return text.slice(-bytes);
    } catch {
      return '';
    }
  };
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, logPath, exited, logTail, stop };
}

/** Polls `check` until it returns true; fails with the process's log tail if it exits or time runs out. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  proc?: WorldProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | undefined;
  void proc?.exited.then((c) => (exitedWith = c));
  for (;;) {
    if (exitedWith !== undefined) {
      throw new Error(`${what}: ${proc!.name} exited (${exitedWith}) before it was ready:\n${proc!.logTail()}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not ready after ${timeoutMs} ms${proc ? `:\n${proc.logTail()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
