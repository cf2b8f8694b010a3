// A client-node ListWatch that survives errors. client-node 1.4 re-lists by itself after a 410 and re-watches
// when the server closes a stream, but any other error (a 500, a refused connection, a failed list) stops
// the informer for good. This wrapper restarts it with exponential back-off and jitter, counts each restart
// and logs it. The cache inside is kept across restarts; resuming from the last resourceVersion replays
// what was missed, or the server answers 410 and client-node re-lists.
import {
  ListWatch,
  type Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { TimedWatch, DEFAULT_WATCH_TIMEOUTS, type WatchTimeouts } from './timed-watch.js';
import { backoffDelayMs, DEFAULT_WATCH_BACKOFF, type BackoffPolicy } from './backoff.js';
import { apiErrorCode, apiErrorMessage } from './api-error.js';
import type { Logger } from '../log/logger.js';

export type ChangeKind = 'add' | 'update' | 'delete';

export interface InformerSpec<T extends KubernetesObject> {
  /** Name for logs and metrics, e.g. "mappings" or "secrets/default/tls". */
  resource: string;
  /** Collection path, e.g. /apis/portico.dev/v1alpha1/mappings. */
  path: string;
  /** The list call; it must apply the same selectors as the watch. */
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * A 404 on the collection means this API server does not serve the resource (the embedded one has no pods):
   * stop instead of retrying every few seconds for ever, and count as settled with an empty cache.
   */
  stopWhenNotServed?: boolean;
}

export interface InformerHooks<T> {
  onChange: (kind: ChangeKind, obj: T) => void;
  /** The first list finished (and after each successful restart). */
  onSynced?: () => void;
  onRestart?: (resource: string) => void;
}

export class ResilientInformer<T extends KubernetesObject> {
  private readonly informer: ListWatch<T>;
  private stopped = false;
  private failures = 0;
  private errorsSeen = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private everSynced = false;
  private notServed = false;

  constructor(
    kc: KubeConfig,
    readonly spec: InformerSpec<T>,
    private readonly hooks: InformerHooks<T>,
    private readonly log: Logger,
    private readonly backoff: BackoffPolicy = DEFAULT_WATCH_BACKOFF,
    watchTimeouts: WatchTimeouts = DEFAULT_WATCH_TIMEOUTS,
  ) {
    // Our watch has deadlines (client-node's has none): a silent stream is ended and resumed.
    const watch = new TimedWatch(kc, watchTimeouts, () => {
      this.hooks.onRestart?.(this.spec.resource);
      this.log.warn('watch stream went silent; resuming it', {
        resource: this.spec.resource,
        idleTimeoutMs: watchTimeouts.idleTimeoutMs,
      });
    });
    this.informer = new ListWatch<T>(
      spec.path,
      watch as unknown as Watch,
      spec.list,
      false,
      spec.labelSelector,
      spec.fieldSelector,
    );
    this.informer.on('add', (o) => this.hooks.onChange('add', o));
    this.informer.on('update', (o) => this.hooks.onChange('update', o));
    this.informer.on('delete', (o) => this.hooks.onChange('delete', o));
    this.informer.on('error', (err) => this.onError(err));
  }

  /** True once the first list has completed; stays true across restarts (the cache is still the best we know). */
  get synced(): boolean {
    return this.everSynced;
  }

  /** The API server does not serve this resource (only with `stopWhenNotServed`). */
  get unserved(): boolean {
    return this.notServed;
  }

  /** Synced, or failed at least once: either way the cache holds all we will know for a while. */
  get settled(): boolean {
    return this.everSynced || this.errorsSeen > 0;
  }

  list(): T[] {
    return [...this.informer.list()];
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  private async connect(): Promise<void> {
    const errorsBefore = this.errorsSeen;
    await this.informer.start();
    if (this.stopped || this.errorsSeen !== errorsBefore) return;
    // List (if needed) done and watch connected without an error.
    this.failures = 0;
    this.everSynced = true;
    this.hooks.onSynced?.();
  }

  private onError(err: unknown): void {
    this.errorsSeen++;
    if (this.stopped) return; // stop() aborts the request, which client-node reports as an AbortError
    if (this.spec.stopWhenNotServed && apiErrorCode(err) === 404) {
      if (!this.notServed)
        this.log.info('the API server does not serve this resource; not watching it', {
          resource: this.spec.resource,
          path: this.spec.path,
        });
      this.notServed = true;
      void this.informer.stop();
      return;
    }
    const delay = backoffDelayMs(this.backoff, this.failures++);
    this.hooks.onRestart?.(this.spec.resource);
    this.log.warn('informer failed; restarting', {
      resource: this.spec.resource,
      error: apiErrorMessage(err),
      attempt: this.failures,
      delayMs: delay,
    });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) void this.connect();
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.informer.stop();
  }
}
