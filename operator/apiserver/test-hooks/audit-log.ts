// The API server's audit log, for tests: one entry per request (resource and non-resource), kept in a bounded
// ring buffer. Entries are added when a request arrives and completed when its response ends, so a test can
// see requests in flight, order writes by microsecond time, and check that two writers never overlapped.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestInfo, type RequestInfo } from '../endpoints/request-info.js';
import { writtenResourceVersion } from '../endpoints/written-resource-version.js';

export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;

export interface AuditEntry extends RequestInfo {
  /** Request received, RFC3339 with microseconds (as audit.k8s.io's requestReceivedTimestamp). */
  time: string;
  /** The same instant in microseconds since the epoch (monotonic within the process), for ordering. */
  receivedMicros: number;
  /** When the response ended (watch: when the stream closed); undefined while in flight. */
  completedMicros?: number;
  userAgent: string;
  /** The `fieldManager` query parameter ('' when absent). */
  fieldManager: string;
  /**
   * Who: a bearer token is recorded only as `token-sha256:<12 hex>` (distinct tokens tell clients apart
   * without the secret reaching the log), basic auth as its user name, none as `system:anonymous`.
   */
  user: string;
  /** HTTP status of the answer; undefined while in flight. */
  code?: number;
  /** For writes: the resourceVersion of the written (or deleted) object as the response left it. */
  resourceVersion?: string;
  /** true when the fault injector answered instead of the server. */
  injectedFault?: boolean;
}

function epochMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

function rfc3339Micro(micros: number): string {
  const iso = new Date(Math.floor(micros / 1000)).toISOString(); // …T12:34:56.789Z
  return `${iso.slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
}

function userOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  const bearer = /^Bearer\s+(.+)$/i.exec(auth);
  if (bearer) return `token-sha256:${createHash('sha256').update(bearer[1]).digest('hex').slice(0, 12)}`;
  const basic = /^Basic\s+(.+)$/i.exec(auth);
  if (basic) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
  return 'system:anonymous';
}

export class AuditLog {
  private readonly ring: Array<AuditEntry | undefined>;
  private next = 0;
  private count = 0;

  constructor(readonly capacity = 100_000) {
    this.ring = new Array(capacity);
  }

  /** Starts an entry for an arriving request; it completes itself when the response ends. */
  begin(req: IncomingMessage, res: ServerResponse): AuditEntry {
    const received = epochMicros();
    const url = req.url ?? '/';
    const entry: AuditEntry = {
      ...requestInfo(req.method ?? 'GET', url),
      time: rfc3339Micro(received),
      receivedMicros: received,
      userAgent: String(req.headers['user-agent'] ?? ''),
      fieldManager: new URL(url, 'http://localhost').searchParams.get('fieldManager') ?? '',
      user: userOf(req),
    };
    const complete = (): void => {
      if (entry.completedMicros !== undefined) return;
      entry.completedMicros = epochMicros();
      entry.code = res.statusCode;
      const rv = writtenResourceVersion(res);
      if (rv !== undefined && (WRITE_VERBS as readonly string[]).includes(entry.verb)) entry.resourceVersion = rv;
    };
    res.on('finish', complete);
    res.on('close', complete);
    this.push(entry);
    return entry;
  }

  private push(entry: AuditEntry): void {
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Number of entries kept (at most `capacity`; older ones were dropped). */
  get size(): number {
    return this.count;
  }

  /** Entries oldest first (copies), optionally filtered. */
  entries(filter?: (e: AuditEntry) => boolean): AuditEntry[] {
    const out: AuditEntry[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const e = this.ring[(start + i) % this.capacity]!;
      if (!filter || filter(e)) out.push({ ...e });
    }
    return out;
  }

  /** Requests that write: create, update, patch, delete, deletecollection (whatever their outcome). */
  writes(filter?: (e: AuditEntry) => boolean): AuditEntry[] {
    return this.entries((e) => (WRITE_VERBS as readonly string[]).includes(e.verb) && (!filter || filter(e)));
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}
