// Every call the operator makes to change the cluster, plus the few direct reads publishing needs. Each write
// first asks `mayWrite()` (leadership): a follower, or a leader whose Lease lapsed, never writes. Applies are
// server-side apply with field manager `portico` and force, so we own exactly the fields we send.
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubernetesObjectApi,
  PatchStrategy,
  type CoreV1Event,
  type KubeConfig,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Deployment,
  type V1ReplicaSet,
  type V1Secret,
} from '@kubernetes/client-node';
import { GROUP, VERSION } from '../api/types.js';
import { apiErrorCode } from './api-error.js';
import { makeTimedApiClient, makeTimedObjectApi, DEFAULT_REQUEST_TIMEOUT_MS } from './api-clients.js';

export const FIELD_MANAGER = 'portico';

export class NotLeaderError extends Error {
  constructor(what: string) {
    super(`not the leader: refusing to ${what}`);
  }
}

export interface WriterHooks {
  mayWrite: () => boolean;
  onWrite: (resource: string, verb: string) => void;
  /**
   * Test seam: called before each write is sent, after the leadership check. A test that throws here
   * simulates a crash at that point (nothing after it is written by this reconcile).
   */
  beforeWrite?: (resource: string, verb: string) => void;
}

/** The writer's public calls: what reconcile/ uses, and what an in-process test records instead of sending. */
export type ClusterApi = { [K in keyof ClusterWriter]: ClusterWriter[K] };

export class ClusterWriter {
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly custom: CustomObjectsApi;

  /** Every request has a deadline (client-node has none), so a silent API server cannot stall a reconcile. */
  constructor(
    kc: KubeConfig,
    private readonly hooks: WriterHooks,
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    this.objects = makeTimedObjectApi(kc, requestTimeoutMs);
    this.core = makeTimedApiClient(kc, CoreV1Api, requestTimeoutMs);
    this.apps = makeTimedApiClient(kc, AppsV1Api, requestTimeoutMs);
    this.custom = makeTimedApiClient(kc, CustomObjectsApi, requestTimeoutMs);
  }

  private guard(resource: string, verb: string): void {
    if (!this.hooks.mayWrite()) throw new NotLeaderError(`${verb} ${resource}`);
    this.hooks.beforeWrite?.(resource, verb);
    this.hooks.onWrite(resource, verb);
  }

  /** Server-side apply (create or update) of a full object or an apply configuration. */
  async apply<T extends KubernetesObject>(obj: T): Promise<T> {
    this.guard(obj.kind!.toLowerCase(), 'apply');
    return this.objects.patch(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }

  async delete(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Promise<void> {
    this.guard(kind.toLowerCase(), 'delete');
    try {
      await this.objects.delete({ apiVersion: 'v1', kind, metadata: { name, namespace } });
    } catch (err) {
      if (apiErrorCode(err) !== 404) throw err;
    }
  }

  /** PUT /status carrying the object's resourceVersion (409 on a stale one). */
  async replaceStatus(
    plural: 'mappings' | 'tlscontexts',
    obj: KubernetesObject & { status?: unknown },
  ): Promise<KubernetesObject> {
    this.guard(`${plural}/status`, 'update');
    const { namespace, name } = obj.metadata as { namespace: string; name: string };
    return this.custom.replaceNamespacedCustomObjectStatus({
      group: GROUP,
      version: VERSION,
      namespace,
      plural,
      name,
      body: obj,
    }) as Promise<KubernetesObject>;
  }

  async createEvent(namespace: string, event: CoreV1Event): Promise<void> {
    this.guard('events', 'create');
    await this.core.createNamespacedEvent({ namespace, body: event });
  }

  // Reads used while publishing (no leadership needed).

  async getCustom(
    plural: 'mappings' | 'tlscontexts',
    namespace: string,
    name: string,
  ): Promise<(KubernetesObject & { status?: unknown }) | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural,
        name,
      })) as KubernetesObject;
    } catch (err) {
      if (apiErrorCode(err) === 404) return undefined;
      throw err;
    }
  }

  async getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined> {
    try {
      return await this.apps.readNamespacedDeployment({ namespace, name });
    } catch (err) {
      if (apiErrorCode(err) === 404) return undefined;
      throw err;
    }
  }

  async listReplicaSets(namespace: string): Promise<V1ReplicaSet[]> {
    return (await this.apps.listNamespacedReplicaSet({ namespace })).items;
  }

  /**
   * One published generation with its content (ConfigMap data, Secret data), to compare what its Envoy pods
   * serve; the caller keeps only fingerprints of the certificates, never the data.
   */
  async readGeneration(
    namespace: string,
    labelSelector: string,
  ): Promise<{ configMaps: V1ConfigMap[]; secrets: V1Secret[] }> {
    const [cms, secrets] = await Promise.all([
      this.core.listNamespacedConfigMap({ namespace, labelSelector }),
      this.core.listNamespacedSecret({ namespace, labelSelector }),
    ]);
    return { configMaps: cms.items, secrets: secrets.items };
  }

  /** Secrets with their data (the xDS channel's CA and client certificate, selected by label). */
  async listSecrets(namespace: string, labelSelector: string): Promise<V1Secret[]> {
    return (await this.core.listNamespacedSecret({ namespace, labelSelector })).items;
  }

  async listPublished(namespace: string, labelSelector: string): Promise<KubernetesObject[]> {
    const [cms, secrets] = await Promise.all([
      this.core.listNamespacedConfigMap({ namespace, labelSelector }),
      this.core.listNamespacedSecret({ namespace, labelSelector }),
    ]);
    return [
      ...cms.items.map((o) => ({ ...o, apiVersion: 'v1', kind: 'ConfigMap' })),
      // Secret data is never needed here: drop it right away.
      ...secrets.items.map((o) => ({ apiVersion: 'v1', kind: 'Secret', metadata: o.metadata })),
    ];
  }
}
