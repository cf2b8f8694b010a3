// One process per state folder: two `portico dev` in one folder would overwrite each other's state.json and
// kubeconfig. The lock is a file holding the owner's pid, created exclusively; a lock whose pid is no longer
// running (the owner was killed) is taken over. Two processes taking over the same stale lock in the same
// instant could both succeed; that needs a crash and a double start at once, and is accepted.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class StateFolderLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(`${folder} is in use by another portico dev (pid ${pid}); stop it, or run portico dev from another folder`);
  }
}

export interface StateLock {
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

function holder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes `<folder>/lock` for this process, or throws StateFolderLockedError naming the holder. */
export function lockStateFolder(folder: string): StateLock {
  const path = join(folder, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release() {
          if (holder(path) === process.pid) unlinkSync(path);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = holder(path);
    if (pid !== undefined && pid !== process.pid && isRunning(pid)) throw new StateFolderLockedError(folder, pid);
    try {
      unlinkSync(path); // stale: its owner is gone
    } catch {
      // someone else removed it first; try again
    }
  }
  throw new StateFolderLockedError(folder, holder(path) ?? 0);
}
