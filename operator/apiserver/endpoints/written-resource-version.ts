// The resourceVersion a write produced, noted on its response by the resource handlers, so the audit log
// (test-hooks/audit-log.ts) can record it once the response ends without the handlers knowing the log.
import type { ServerResponse } from 'node:http';

const writtenVersions = new WeakMap<ServerResponse, string>();

export function noteWrittenResourceVersion(res: ServerResponse, resourceVersion: string | undefined): void {
  if (resourceVersion) writtenVersions.set(res, resourceVersion);
}

export function writtenResourceVersion(res: ServerResponse): string | undefined {
  return writtenVersions.get(res);
}
