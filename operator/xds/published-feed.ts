// What every operator replica's xDS server serves: the generation the leader's pointer ConfigMap names
// (publish/names.ts XDS_CURRENT_CONFIGMAP), read back from its ConfigMaps and Secrets, unpacked as an Envoy
// pod's init step would, and turned into xDS resources (published-resources.ts). No replica serves what it
// compiled itself, so leader and followers serve the same bytes. A generation that cannot be read (yet) is
// retried with back-off; the last one loaded stays served meanwhile.
import { CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { makeTimedApiClient } from '../kube/api-clients.js';
import { apiErrorMessage } from '../kube/api-error.js';
import type { ClusterWriter } from '../kube/cluster-writer.js';
import { ResilientInformer } from '../kube/resilient-informer.js';
import type { InformerTimings } from '../kube/informer-timings.js';
import type { Logger } from '../log/logger.js';
import { unpackConfig } from '../publish/config-chunks.js';
import {
  HASH_LABEL,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  XDS_CURRENT_CONFIGMAP,
  XDS_CURRENT_KEY,
  XDS_CURRENT_SELECTOR,
  configMapName,
} from '../publish/names.js';
import { xdsSnapshotOf, type XdsSnapshot } from './published-resources.js';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

export interface PublishedFeedOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  writer: ClusterWriter;
  timings: InformerTimings;
  log: Logger;
  /** A generation was loaded: serve it. */
  onSnapshot: (snapshot: XdsSnapshot) => void;
  onRestart?: (resource: string) => void;
}

export class PublishedFeed {
  private readonly informer: ResilientInformer<V1ConfigMap>;
  private wanted: string | undefined;
  /** Generations this replica, as leader, pointed at and served itself, oldest first (staleOwnPointer). */
  private ownPointers: string[] = [];
  private loaded: string | undefined;
  private loading = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly o: PublishedFeedOptions) {
    const core = makeTimedApiClient(o.kubeConfig, CoreV1Api, o.timings.requestTimeoutMs);
    this.informer = new ResilientInformer<V1ConfigMap>(
      o.kubeConfig,
      {
        resource: `configmaps/${o.namespace}/${XDS_CURRENT_CONFIGMAP}`,
        path: `/api/v1/namespaces/${o.namespace}/configmaps`,
        labelSelector: XDS_CURRENT_SELECTOR,
        list: () => core.listNamespacedConfigMap({ namespace: o.namespace, labelSelector: XDS_CURRENT_SELECTOR }),
      },
      {
        onChange: (kind, cm) => {
          if (kind === 'delete' || cm.metadata?.name !== XDS_CURRENT_CONFIGMAP) return;
          const hash = cm.data?.[XDS_CURRENT_KEY];
          if (hash && !this.staleOwnPointer(hash)) this.want(hash);
        },
        onRestart: o.onRestart,
      },
      o.log,
      o.timings.backoff,
      o.timings.watch,
    );
  }

  /** The hash of the generation served now. */
  get served(): string | undefined {
    return this.loaded;
  }

  /** The hash the pointer names (possibly still loading). */
  get target(): string | undefined {
    return this.wanted;
  }

  start(): void {
    this.informer.start();
  }

  /**
   * The leader's shortcut: the generation it has just written and pointed at, from the same bytes (canonical
   * JSON and certificate files) a read-back would return, so it serves it without the watch and list round trip.
   */
  servePublished(config: { hash: string; json: string; certFiles: Readonly<Record<string, string>> }): void {
    if (this.loaded === config.hash) return;
    let snapshot: XdsSnapshot;
    try {
      snapshot = xdsSnapshotOf(config.hash, JSON.parse(config.json), config.certFiles);
    } catch (err) {
      this.o.log.error('cannot serve the published config over xDS', {
        hash: config.hash,
        error: (err as Error).message,
      });
      return;
    }
    this.wanted = this.loaded = config.hash;
    this.ownPointers.push(config.hash);
    if (this.ownPointers.length > 64) this.ownPointers.shift();
    this.o.log.info('serving a published config over xDS', { hash: config.hash, from: 'this leader' });
    this.o.onSnapshot(snapshot);
  }

  /**
   * Whether a pointer event names a generation this leader pointed at before the one it serves: its own
   * earlier write, arriving late on the watch. Serving it would step back; the event for the newest follows.
   */
  private staleOwnPointer(hash: string): boolean {
    const i = this.ownPointers.lastIndexOf(hash);
    if (i < 0) return false;
    if (i === this.ownPointers.length - 1) {
      this.ownPointers = [hash];
      return false;
    }
    this.ownPointers = this.ownPointers.slice(i + 1);
    return true;
  }

  /** After losing leadership: the new leader's pointer events are all to be followed. */
  forgetOwnPointers(): void {
    this.ownPointers = [];
  }

  private want(hash: string): void {
    this.wanted = hash;
    this.failures = 0;
    void this.load();
  }

  private async load(): Promise<void> {
    if (this.loading || this.stopped) return;
    const hash = this.wanted;
    if (!hash || hash === this.loaded) return;
    this.loading = true;
    try {
      const snapshot = await this.read(hash);
      // The pointer moved on while this read (or the leader served a newer one itself): never step back.
      if (this.wanted === hash) {
        this.loaded = hash;
        this.o.log.info('serving a published config over xDS', {
          hash,
          clusters: snapshot.types['type.googleapis.com/envoy.config.cluster.v3.Cluster'].resources.size,
        });
        this.o.onSnapshot(snapshot);
      }
    } catch (err) {
      const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.failures++);
      this.o.log.warn('cannot read the published config to serve over xDS; the last one stays served', {
        hash,
        error: apiErrorMessage(err),
        delayMs: delay,
      });
      clearTimeout(this.retry);
      this.retry = setTimeout(() => void this.load(), delay);
    } finally {
      this.loading = false;
    }
    if (this.wanted !== this.loaded) void this.load(); // the pointer moved on while this one loaded
  }

  private async read(hash: string): Promise<XdsSnapshot> {
    const { configMaps, secrets } = await this.o.writer.readGeneration(
      this.o.namespace,
      `${MANAGED_BY_LABEL}=${MANAGED_BY},${HASH_LABEL}=${hash}`,
    );
    if (!configMaps.some((c) => c.metadata?.name === configMapName(hash)))
      throw new Error(`ConfigMap ${this.o.namespace}/${configMapName(hash)} not found`);
    const files = new Map<string, Buffer | string>();
    for (const cm of configMaps) {
      for (const [k, v] of Object.entries(cm.data ?? {})) files.set(k, v);
      for (const [k, v] of Object.entries(cm.binaryData ?? {})) files.set(k, Buffer.from(v, 'base64'));
    }
    const certFiles: Record<string, string> = {};
    for (const s of secrets)
      for (const [k, v] of Object.entries(s.data ?? {})) certFiles[k] = Buffer.from(v, 'base64').toString('utf8');
    return xdsSnapshotOf(hash, JSON.parse(unpackConfig(files)), certFiles);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.informer.stop();
  }
}
