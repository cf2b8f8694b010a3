// Saves the store (objects + resourceVersion) to a JSON file, debounced and on close, and loads it at start,
// so a restarted `portico dev` loses nothing and resourceVersions keep increasing.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ObjectStore, StoreSnapshot } from './store.js';

export function loadState(store: ObjectStore, path: string): boolean {
  if (!existsSync(path)) return false;
  let snapshot: StoreSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(path, 'utf8')) as StoreSnapshot;
  } catch (err) {
    throw new Error(`cannot read API server state ${path}: ${(err as Error).message}`);
  }
  if (typeof snapshot.resourceVersion !== 'number' || !Array.isArray(snapshot.objects)) throw new Error(`${path} is not an API server state file (resourceVersion/objects missing)`);
  store.load(snapshot);
  return true;
}

export function saveState(store: ObjectStore, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(store.snapshot()));
  renameSync(tmp, path);
}

/** Saves after each burst of changes (debounced); returns flush(), which saves now if anything is pending. */
export function persistOnChange(store: ObjectStore, path: string, debounceMs = 250): { flush(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    saveState(store, path);
  };
  const unsubscribe = store.onChange(() => {
    dirty = true;
    if (!timer) timer = setTimeout(flush, debounceMs);
  });
  return {
    flush,
    stop: () => {
      unsubscribe();
      flush();
    },
  };
}
