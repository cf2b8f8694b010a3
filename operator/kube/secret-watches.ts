// One small informer per referenced Secret (field selector metadata.name=<name> in its namespace), so the
// operator never lists or holds the cluster's other Secrets. The set follows the TLSContexts.
import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { ResilientInformer, type InformerHooks } from './resilient-informer.js';
import type { Logger } from '../log/logger.js';

export class SecretWatches {
  private readonly watches = new Map<string, ResilientInformer<V1Secret>>();
  private readonly core: CoreV1Api;

  constructor(
    private readonly kc: KubeConfig,
    private readonly hooks: InformerHooks<V1Secret>,
    private readonly log: Logger,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
  }

  /** Start watches for new keys ("namespace/name"), stop those no longer referenced. */
  async setKeys(keys: string[]): Promise<void> {
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
      );
      this.watches.set(key, informer);
      informer.start();
    }
  }

  get synced(): boolean {
    for (const w of this.watches.values()) if (!w.synced) return false;
    return true;
  }

  /** Every watch synced or failed once (a missing namespace must not hold up compiling). */
  get settled(): boolean {
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
    await Promise.all([...this.watches.values()].map((w) => w.stop()));
    this.watches.clear();
  }
}
