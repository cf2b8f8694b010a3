// Kubernetes Events (core/v1) for rejections and publish problems. An Event is emitted when a (reason,
// message) for an object first appears, not on every reconcile, so a steady state emits nothing.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { ClusterApi } from '../kube/cluster-writer.js';
import { apiErrorMessage } from '../kube/api-error.js';
import type { Logger } from '../log/logger.js';

export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
}

const keyOf = (obj: InvolvedObject) => `${obj.kind}/${obj.namespace}/${obj.name}/${obj.uid ?? ''}`;

export class EventRecorder {
  private readonly last = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly writer: ClusterApi,
    private readonly identity: string,
    private readonly log: Logger,
  ) {}

  /** Emit unless the same reason and message were the last ones emitted for this object. */
  async record(obj: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const key = keyOf(obj);
    const fingerprint = `${type}|${reason}|${message}`;
    if (this.last.get(key) === fingerprint) return;
    const now = new Date();
    const event: CoreV1Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${obj.name}.${now.getTime().toString(16)}${(this.seq++ % 4096).toString(16).padStart(3, '0')}`,
        namespace: obj.namespace,
      },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        namespace: obj.namespace,
        name: obj.name,
        uid: obj.uid,
      },
      type,
      reason,
      message: message.slice(0, 1024),
      source: { component: 'portico' },
      reportingComponent: 'portico.dev/operator',
      reportingInstance: this.identity,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await this.writer.createEvent(obj.namespace, event);
      this.last.set(key, fingerprint);
    } catch (err) {
      this.log.warn('cannot record event', {
        object: { kind: obj.kind, namespace: obj.namespace, name: obj.name },
        reason,
        error: apiErrorMessage(err),
      });
    }
  }

  /** True when this recorder has emitted (or been told about) an Event for the object. */
  knows(obj: InvolvedObject): boolean {
    return this.last.has(keyOf(obj));
  }

  /** Note an Event as already emitted (by an earlier leader), so record() with the same text stays quiet. */
  remember(obj: InvolvedObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.last.set(keyOf(obj), `${type}|${reason}|${message}`);
  }

  /**
   * The object is no longer rejected. When the last Event about it was a Warning, a Normal one says so, so that
   * `kubectl describe` does not end on a stale Warning; a later rejection is news again either way.
   */
  async recovered(obj: InvolvedObject): Promise<void> {
    const last = this.last.get(keyOf(obj));
    if (!last?.startsWith('Warning|')) return;
    await this.record(
      obj,
      'Normal',
      'Recovered',
      `accepted again: the earlier ${last.split('|')[1]} problem is resolved`,
    );
  }

  /** The object is fine again (or gone): a later rejection with the same text is news again. */
  forget(obj: InvolvedObject): void {
    this.last.delete(keyOf(obj));
  }

  /** Drop what we remember about objects of these kinds other than `present` (deleted objects). */
  retainOnly(kinds: string[], present: InvolvedObject[]): void {
    const keep = new Set(present.map(keyOf));
    for (const key of this.last.keys()) {
      if (kinds.includes(key.slice(0, key.indexOf('/'))) && !keep.has(key)) this.last.delete(key);
    }
  }

  /** How many objects' last Events are remembered (for tests and the memory-bounds check). */
  get remembered(): number {
    return this.last.size;
  }
}
