// Private, durable files for the saved API server state and the kubeconfig, which hold every Secret and the
// token: folders are created 0700 and files 0600 from the moment they exist (temporary ones too). A replaced
// file is written to a temporary one, fsync'd, renamed over the old one, and the folder fsync'd, so a crash
// leaves the old file or the new one.
import {
  chmodSync,
  closeSync,
  fdatasyncSync,
  fstatSync,
  fchmodSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) as 0700; an existing folder is left as it is. */
function makeDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates `dir` as 0700, or narrows an existing one we own to 0700 (for a folder that is ours alone). */
export function ensurePrivateDir(dir: string): void {
  makeDir(dir);
  const st = statSync(dir);
  if ((st.mode & 0o777) !== PRIVATE_DIR_MODE && st.uid === process.getuid?.()) chmodSync(dir, PRIVATE_DIR_MODE);
}

function openPrivate(path: string, flags: string): number {
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  // The mode given to open() applies only to a file it creates: narrow one that was already there.
  if ((fstatSync(fd).mode & 0o777) !== PRIVATE_FILE_MODE) fchmodSync(fd, PRIVATE_FILE_MODE);
  return fd;
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Replaces `path` with `data`, durably and atomically, never readable by others. */
export function writeFileDurably(path: string, data: string): void {
  makeDir(dirname(path));
  const tmp = `${path}.tmp`;
  try {
    unlinkSync(tmp); // a leftover from a crash may have other permissions or an owner we cannot narrow
  } catch {
    // none
  }
  const fd = openPrivate(tmp, 'wx');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDir(dirname(path));
}

/** An append-only file of lines; append() is on disk (page cache) when it returns, sync() flushes it. */
export class AppendOnlyFile {
  private fd: number;
  private dirty = false;
  private size: number;

  constructor(readonly path: string) {
    makeDir(dirname(path));
    this.fd = openPrivate(path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  append(line: string): void {
    const data = `${line}\n`;
    writeSync(this.fd, data);
    this.size += Buffer.byteLength(data);
    this.dirty = true;
  }

  sync(): void {
    if (!this.dirty) return;
    fdatasyncSync(this.fd);
    this.dirty = false;
  }

  get bytes(): number {
    return this.size;
  }

  truncate(): void {
    ftruncateSync(this.fd, 0);
    this.size = 0;
    fsyncSync(this.fd);
    this.dirty = false;
  }

  close(): void {
    closeSync(this.fd);
  }
}
