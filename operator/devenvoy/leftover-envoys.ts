// What an earlier `portico dev` of this folder may have left running: the pids of its Envoy processes are kept
// in the folder's pid file (envoy-epochs.ts writes it), and the next start stops those still running whose
// command line names the folder (a pid reused by another program is left alone).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The file in the private folder that lists the running Envoy processes' pids, one a line. */
export const PID_FILE = 'envoy.pids';
/** How long an Envoy gets to exit after SIGTERM before SIGKILL. */
export const STOP_GRACE_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    } catch {
      return undefined;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the Envoy processes an earlier portico dev of this folder left behind. Envoy with hot restart on asks
 * for SIGTERM when the process that started it dies, so it normally goes with a portico dev killed with -9; this
 * catches one that did not (started through a wrapper that forks instead of exec'ing it, say). Only pids from
 * this folder's pid file whose command line names this folder.
 */
export async function stopLeftoverEnvoys(dir: string): Promise<number[]> {
  const pidFile = join(dir, PID_FILE);
  if (!existsSync(pidFile)) return [];
  const pids = readFileSync(pidFile, 'utf8')
    .split('\n')
    .map(Number)
    .filter((p) => p > 0);
  const ours = pids.filter((p) => alive(p) && (commandLineOf(p) ?? '').includes(`${dir}/`));
  for (const p of ours) process.kill(p, 'SIGTERM');
  for (const deadline = Date.now() + STOP_GRACE_MS; ours.some(alive) && Date.now() < deadline;) await sleep(50);
  for (const p of ours.filter(alive)) process.kill(p, 'SIGKILL');
  rmSync(pidFile, { force: true });
  return ours;
}
