// One small informer per referenced Secret (field selector metadata.name=<name> in its namespace), so the
// operator never lists or holds the cluster's other Secrets. The set follows the TLSContexts.
import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { ResilientInformer, type InformerHooks } from './resilient-informer.js';
import { makeTimedApiClient } from './api-clients.js';
import type { InformerTimings } from './informer-timings.js';
import type { Logger } from '../log/logger.js';

export class SecretWatches {
  private readonly watches = new Map<string, ResilientInformer<V1Secret>>();
  private readonly core: CoreV1Api;
  /** setKeys calls run one after another: interleaved, one could drop a watch the other just started. */
  private updates: Promise<void> = Promise.resolve();
  private pendingUpdates = 0;

  constructor(
    private readonly kc: KubeConfig,
    private readonly hooks: InformerHooks<V1Secret>,
    private readonly log: Logger,
    private readonly timings: InformerTimings,
  ) {
    this.core = makeTimedApiClient(kc, CoreV1Api, timings.requestTimeoutMs);
  }

  /** Start watches for new keys ("namespace/name"), stop those no longer referenced. */
  setKeys(keys: string[]): Promise<void> {
    // Until the new watches exist, the set is not settled: a compile now would miss a Secret that is there
    // (a transient SecretNotFound, and a config published only to be replaced a moment later).
    this.pendingUpdates++;
    this.updates = this.updates
      .then(() => this.applyKeys(keys))
      .catch((err: unknown) => {
        this.log.error('cannot update Secret watches', { error: String(err) });
      })
      .finally(() => {
        // A run skipped meanwhile (not settled) needs another: new watches trigger one when they sync, but a
        // removal or a watch that fails at once would not.
        if (--this.pendingUpdates === 0) this.hooks.onSynced?.();
      });
    return this.updates;
  }

  private async applyKeys(keys: string[]): Promise<void> {
    const wanted = new Set(keys);
    for (const [key, informer] of this.watches) {
      if (wanted.has(key)) continue;
      this.watches.delete(key);
      await informer.stop();
      // The Secret left the snapshot: tell the cache owner so it recompiles.
      for (const s of informer.list()) this.hooks.onChange('delete', s);
    }
    for (const key of wanted) {
      if (this.watches.has(key)) continue;
      const [namespace, name] = key.split('/');
      const fieldSelector = `metadata.name=${name}`;
      const informer = new ResilientInformer<V1Secret>(
        this.kc,
        {
          resource: `secrets/${key}`,
          path: `/api/v1/namespaces/${namespace}/secrets`,
          list: () => this.core.listNamespacedSecret({ namespace, fieldSelector }),
          fieldSelector,
        },
        this.hooks,
        this.log,
        this.timings.backoff,
        this.timings.watch,
      );
      this.watches.set(key, informer);
      informer.start();
    }
  }

  get synced(): boolean {
    if (this.pendingUpdates > 0) return false;
    for (const w of this.watches.values()) if (!w.synced) return false;
    return true;
  }

  /** Every watch synced or failed once (a missing namespace must not hold up compiling). */
  get settled(): boolean {
    if (this.pendingUpdates > 0) return false;
    for (const w of this.watches.values()) if (!w.settled) return false;
    return true;
  }

  get count(): number {
    return this.watches.size;
  }

  list(): V1Secret[] {
    return [...this.watches.values()].flatMap((w) => w.list());
  }

  async stop(): Promise<void> {
    await this.updates;
    await Promise.all([...this.watches.values()].map((w) => w.stop()));
    this.watches.clear();
  }
}
