// Saves the store to disk so a restarted `portico dev` loses nothing and resourceVersions keep increasing.
// Two files, both private (state-files.ts):
// - state.json, a snapshot (objects + resourceVersion), rewritten atomically after each burst of changes;
// - state.journal, every write since that snapshot, one JSON line each, appended before the write is applied
//   and so before it is acknowledged: a killed process (kill -9, OOM) loses no acknowledged write. The journal
//   is fdatasync'd every SYNC_INTERVAL_MS, so an OS crash or power loss can lose the writes of that window.
// Loading reads the snapshot, then replays the journal's newer lines (a torn last line was never acknowledged).
import { existsSync, readFileSync } from 'node:fs';
import type { ObjectStore } from './store.js';
import { objectKey, type StoreSnapshot } from './stored-objects.js';
import { AppendOnlyFile, writeFileDurably } from './state-files.js';
import { MAX_NESTING_DEPTH, nestingDepth } from '../encoding/nesting-depth.js';

const SYNC_INTERVAL_MS = 100;
/** A journal this long is folded into the snapshot even while writes keep coming. */
const MAX_JOURNAL_BYTES = 16 * 1024 * 1024;

interface JournalLine {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  object: Record<string, any>;
}

export function journalPathFor(statePath: string): string {
  return `${statePath.replace(/\.json$/, '')}.journal`;
}

function readSnapshot(path: string): StoreSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  let snapshot: StoreSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(path, 'utf8')) as StoreSnapshot;
  } catch (err) {
    throw new Error(`cannot read API server state ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof snapshot.resourceVersion !== 'number' || !Array.isArray(snapshot.objects))
    throw new Error(`${path} is not an API server state file (resourceVersion/objects missing)`);
  return snapshot;
}

/** Applies the journal's lines newer than the snapshot to it (mutates `snapshot`). */
function replayJournal(snapshot: StoreSnapshot, path: string): number {
  if (!existsSync(path)) return 0;
  const lines = readFileSync(path, 'utf8').split('\n');
  const objects = new Map(snapshot.objects.map((o) => [`${o.resource}\u0000${objectKey(o.object)}`, o]));
  let replayed = 0;
  lines.forEach((text, i) => {
    if (text === '') return;
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch (err) {
      // Only the last line can be torn (the process died while appending it, before acknowledging it).
      if (i >= lines.length - 2) return;
      throw new Error(`${path} line ${i + 1} is not a journal entry: ${(err as Error).message}`, { cause: err });
    }
    if (line.rv <= snapshot.resourceVersion) return;
    const id = `${line.resource}\u0000${objectKey(line.object)}`;
    if (line.type === 'DELETED') objects.delete(id);
    else objects.set(id, { resource: line.resource, object: line.object });
    snapshot.resourceVersion = line.rv;
    replayed++;
  });
  snapshot.objects = [...objects.values()];
  return replayed;
}

/**
 * Loads saved state into the store; false when there is none. Objects that could not be stored today (nested
 * deeper than the decode limit, saved by an older version) are dropped with a warning rather than stored again.
 */
export function loadState(
  store: ObjectStore,
  path: string,
  warn: (message: string) => void = (m) => process.stderr.write(`apiserver: ${m}\n`),
): boolean {
  const snapshot = readSnapshot(path) ?? { resourceVersion: 0, objects: [] };
  const replayed = replayJournal(snapshot, journalPathFor(path));
  if (snapshot.resourceVersion === 0 && snapshot.objects.length === 0 && replayed === 0 && !existsSync(path))
    return false;
  snapshot.objects = snapshot.objects.filter(({ resource, object }) => {
    if (nestingDepth(object) <= MAX_NESTING_DEPTH) return true;
    warn(`dropping ${resource} ${objectKey(object)} from ${path}: it nests deeper than ${MAX_NESTING_DEPTH} levels`);
    return false;
  });
  store.load(snapshot);
  return true;
}

export function saveState(store: ObjectStore, path: string): void {
  writeFileDurably(path, JSON.stringify(store.snapshot()));
}

export interface Persistence {
  /** Writes the snapshot now (if anything changed) and empties the journal. */
  flush(): void;
  stop(): void;
}

/** Journals every write before it is applied, and folds the journal into the snapshot after each burst. */
export function persistOnChange(store: ObjectStore, path: string, debounceMs = 250): Persistence {
  const journal = new AppendOnlyFile(journalPathFor(path));
  let snapshotTimer: NodeJS.Timeout | undefined;
  let syncTimer: NodeJS.Timeout | undefined;
  let dirty = false;
  let flushQueued = false;

  const flush = (): void => {
    if (snapshotTimer) clearTimeout(snapshotTimer);
    snapshotTimer = undefined;
    if (!dirty) return;
    dirty = false;
    saveState(store, path);
    journal.truncate();
  };
  const stopJournal = store.beforeCommit(({ event, json }) => {
    // The object's JSON is spliced in as it is: serialising it again would double the cost of every write.
    journal.append(
      `{"rv":${event.rv},"type":"${event.type}","resource":${JSON.stringify(event.resource)},"object":${json}}`,
    );
    dirty = true;
    syncTimer ??= setTimeout(() => {
      syncTimer = undefined;
      journal.sync();
    }, SYNC_INTERVAL_MS);
    if (journal.bytes > MAX_JOURNAL_BYTES && !flushQueued) {
      flushQueued = true;
      setImmediate(() => {
        flushQueued = false;
        flush();
      });
    } else if (!snapshotTimer) snapshotTimer = setTimeout(flush, debounceMs);
  });
  return {
    flush,
    stop: () => {
      stopJournal();
      if (syncTimer) clearTimeout(syncTimer);
      flush();
      journal.sync();
      journal.close();
    },
  };
}
