// The operator's view of the cluster: informers for Mappings, TLSContexts, PorticoReferenceGrants and Services
// (all namespaces), and per-reference Secret watches. It calls `onRelevantChange` only when something the compiler reads changed,
// and builds the compiler's Snapshot from the caches.
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import {
  GROUP,
  VERSION,
  type Mapping,
  type PorticoReferenceGrant,
  type Secret,
  type Service,
  type TLSContext,
} from '../api/types.js';
import type { Snapshot } from '../compile/types.js';
import { ResilientInformer, type ChangeKind } from './resilient-informer.js';
import { makeTimedApiClient } from './api-clients.js';
import { DEFAULT_INFORMER_TIMINGS, type InformerTimings } from './informer-timings.js';
import { SecretWatches } from './secret-watches.js';
import { referencedSecrets } from './secret-refs.js';
import { compilerFingerprint, type WatchedKind } from './relevance.js';
import type { Logger } from '../log/logger.js';

export interface ClusterCacheHooks {
  onRelevantChange: (kind: WatchedKind, change: ChangeKind, obj: KubernetesObject) => void;
  onInformerRestart: (resource: string) => void;
}

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export class ClusterCache {
  private readonly mappings: ResilientInformer<KubernetesObject>;
  private readonly tlsContexts: ResilientInformer<KubernetesObject>;
  private readonly services: ResilientInformer<KubernetesObject>;
  private readonly referenceGrants: ResilientInformer<KubernetesObject>;
  private readonly secrets: SecretWatches;
  private readonly fingerprints = new Map<string, string>();
  private readonly wire = new WeakMap<KubernetesObject, unknown>();
  private secretKeys = '';

  constructor(
    kc: KubeConfig,
    private readonly hooks: ClusterCacheHooks,
    private readonly log: Logger,
    private readonly timings: InformerTimings = DEFAULT_INFORMER_TIMINGS,
  ) {
    const custom = makeTimedApiClient(kc, CustomObjectsApi, timings.requestTimeoutMs);
    const core = makeTimedApiClient(kc, CoreV1Api, timings.requestTimeoutMs);
    const customList = (plural: string) => () =>
      custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural }) as Promise<
        KubernetesListObject<KubernetesObject>
      >;
    this.mappings = this.informer(
      'Mapping',
      kc,
      'mappings',
      `/apis/${GROUP}/${VERSION}/mappings`,
      customList('mappings'),
    );
    this.tlsContexts = this.informer(
      'TLSContext',
      kc,
      'tlscontexts',
      `/apis/${GROUP}/${VERSION}/tlscontexts`,
      customList('tlscontexts'),
    );
    this.referenceGrants = this.informer(
      'PorticoReferenceGrant',
      kc,
      'porticoreferencegrants',
      `/apis/${GROUP}/${VERSION}/porticoreferencegrants`,
      customList('porticoreferencegrants'),
    );
    this.services = this.informer(
      'Service',
      kc,
      'services',
      '/api/v1/services',
      () => core.listServiceForAllNamespaces() as Promise<KubernetesListObject<KubernetesObject>>,
    );
    this.secrets = new SecretWatches(
      kc,
      {
        onChange: (change, obj) => this.observe('Secret', change, obj),
        onRestart: hooks.onInformerRestart,
        onSynced: () => this.hooks.onRelevantChange('Secret', 'add', {}),
      },
      log,
      timings,
    );
  }

  private informer(
    kind: WatchedKind,
    kc: KubeConfig,
    resource: string,
    path: string,
    list: () => Promise<KubernetesListObject<KubernetesObject>>,
  ) {
    return new ResilientInformer<KubernetesObject>(
      kc,
      { resource, path, list },
      {
        onChange: (change, obj) => this.observe(kind, change, obj),
        // A sync with no objects fires no event, but readiness and the first compile still depend on it.
        onSynced: () => this.hooks.onRelevantChange(kind, 'add', {}),
        onRestart: this.hooks.onInformerRestart,
      },
      this.log,
      this.timings.backoff,
      this.timings.watch,
    );
  }

  private observe(kind: WatchedKind, change: ChangeKind, obj: KubernetesObject): void {
    const key = `${kind}:${keyOf(obj)}`;
    if (change === 'delete') {
      this.fingerprints.delete(key);
    } else {
      const fp = compilerFingerprint(kind, obj);
      if (this.fingerprints.get(key) === fp) return; // nothing the compiler reads changed
      this.fingerprints.set(key, fp);
    }
    if (kind === 'TLSContext') this.refreshSecretWatches();
    this.hooks.onRelevantChange(kind, change, obj);
  }

  private refreshSecretWatches(): void {
    const keys = referencedSecrets(this.tlsContexts.list() as unknown as TLSContext[]);
    const joined = keys.join(',');
    if (joined === this.secretKeys) return;
    this.secretKeys = joined;
    void this.secrets.setKeys(keys);
  }

  start(): void {
    this.mappings.start();
    this.tlsContexts.start();
    this.referenceGrants.start();
    this.services.start();
  }

  /** All informers have listed once: the snapshot reflects the cluster. */
  get synced(): boolean {
    return (
      this.mappings.synced &&
      this.tlsContexts.synced &&
      this.referenceGrants.synced &&
      this.services.synced &&
      this.secrets.synced
    );
  }

  /** Good enough to compile: main informers synced, Secret watches synced or failed once. */
  get readyToCompile(): boolean {
    return (
      this.mappings.synced &&
      this.tlsContexts.synced &&
      this.referenceGrants.synced &&
      this.services.synced &&
      this.secrets.settled
    );
  }

  /** Human-readable sync detail for /readyz. */
  syncDetail(): string[] {
    return [
      `mappings informer: ${this.mappings.synced ? 'synced' : 'not synced'}`,
      `tlscontexts informer: ${this.tlsContexts.synced ? 'synced' : 'not synced'}`,
      `porticoreferencegrants informer: ${this.referenceGrants.synced ? 'synced' : 'not synced'}`,
      `services informer: ${this.services.synced ? 'synced' : 'not synced'}`,
      `secret watches: ${this.secrets.count} (${this.secrets.synced ? 'synced' : 'not all synced'})`,
    ];
  }

  mappingObjects(): Mapping[] {
    return this.mappings.list() as unknown as Mapping[];
  }

  tlsContextObjects(): TLSContext[] {
    return this.tlsContexts.list() as unknown as TLSContext[];
  }

  /**
   * The compiler's input. Custom objects arrive as plain JSON and the compiler never mutates its input
   * (test/compile/purity.test.ts), so they are passed as they are: copying 10k Mappings on every reconcile was
   * 14% of the operator's CPU. Built-ins come from client-node's typed models (Date objects), so they are
   * turned into wire JSON, once per cached object (an update replaces the object, so the memo follows it).
   */
  snapshot(now: Date): Snapshot {
    const plain = <T>(objs: KubernetesObject[]): T[] => objs.map((o) => this.wireJson(o) as T);
    return {
      mappings: this.mappings.list() as unknown as Mapping[],
      tlsContexts: this.tlsContexts.list() as unknown as TLSContext[],
      referenceGrants: this.referenceGrants.list() as unknown as PorticoReferenceGrant[],
      services: plain<Service>(this.services.list()),
      secrets: plain<Secret>(this.secrets.list()),
      now: now.toISOString(),
    };
  }

  private wireJson(o: KubernetesObject): unknown {
    let json = this.wire.get(o);
    if (json === undefined) this.wire.set(o, (json = JSON.parse(JSON.stringify(o))));
    return json;
  }

  async stop(): Promise<void> {
    await Promise.all([
      this.mappings.stop(),
      this.tlsContexts.stop(),
      this.referenceGrants.stop(),
      this.services.stop(),
      this.secrets.stop(),
    ]);
  }
}
