// The operator's view of the Envoy rollout: the Envoy Deployment (watched by name, field selector
// metadata.name, so RBAC can name it), its ReplicaSets and pods (watched in its namespace with the Deployment's
// own label selector), and the EndpointSlices of that namespace (a deleted old pod serves until they drop it). `onChange` fires only when something the rollout verdict reads changed
// (a pod's readiness or container state, a ReplicaSet's counts, the Deployment's template, status or the owner
// of its config-hash annotation), not on every status heartbeat. A template edited behind the operator's back is
// seen at once, not at the next resync.
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { V1Deployment, V1EndpointSlice, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { ResilientInformer } from './resilient-informer.js';
import { makeTimedApiClient } from './api-clients.js';
import { labelSelectorQuery, type LabelSelector } from './label-selector.js';
import type { InformerTimings } from './informer-timings.js';
import type { Logger } from '../log/logger.js';
import type { DeploymentFacts, EndpointSliceFacts, PodFacts, ReplicaSetFacts, RolloutFacts } from './rollout-facts.js';

export interface RolloutCacheHooks {
  onChange: () => void;
  onRestart: (resource: string) => void;
}

/** The fields of each object the rollout verdict reads, as one comparable string. */
function digest(facts: RolloutFacts): string {
  const meta = (m: KubernetesObject['metadata'] | undefined) => ({
    n: m?.name,
    g: m?.generation,
    l: m?.labels,
    a: m?.annotations,
    d: !!m?.deletionTimestamp,
    o: m?.ownerReferences?.map((r) => r.uid),
  });
  const d = facts.deployment as V1Deployment | undefined;
  return JSON.stringify({
    d: d && {
      m: meta(d.metadata),
      r: d.spec?.replicas,
      t: d.spec?.template?.metadata?.annotations,
      v: d.spec?.template?.spec?.volumes,
      s: { ...d.status, conditions: d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]) },
      f: d.metadata?.managedFields?.map((e) => [e.manager, e.operation, e.subresource, e.fieldsV1]),
    },
    rs: (facts.replicaSets as V1ReplicaSet[]).map((rs) => ({
      m: meta(rs.metadata),
      r: rs.spec?.replicas,
      s: rs.status,
    })),
    p: (facts.pods as V1Pod[]).map((p) => ({
      m: meta(p.metadata),
      ph: p.status?.phase,
      c: p.status?.conditions?.map((c) => [c.type, c.status, c.reason]),
      i: p.status?.initContainerStatuses?.map((c) => [c.name, c.ready, c.restartCount, c.state, c.lastState]),
      s: p.status?.containerStatuses?.map((c) => [c.name, c.ready, c.restartCount, c.state, c.lastState]),
      ip: p.status?.podIP,
    })),
    e: (facts.endpointSlices as V1EndpointSlice[] | undefined)?.map((x) =>
      x.endpoints?.map((ep) => [ep.targetRef?.name, ep.addresses, ep.conditions?.ready]),
    ),
    k: [facts.podsKnown, facts.replicaSetsKnown],
  });
}

export class EnvoyRolloutCache {
  private readonly deployment: ResilientInformer<V1Deployment>;
  private replicaSets?: ResilientInformer<V1ReplicaSet>;
  private pods?: ResilientInformer<V1Pod>;
  private readonly endpointSlices: ResilientInformer<V1EndpointSlice>;
  private selector: string | undefined;
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private lastDigest = '';
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    readonly namespace: string,
    readonly name: string,
    private readonly hooks: RolloutCacheHooks,
    private readonly log: Logger,
    private readonly timings: InformerTimings,
  ) {
    this.apps = makeTimedApiClient(kc, AppsV1Api, timings.requestTimeoutMs);
    this.core = makeTimedApiClient(kc, CoreV1Api, timings.requestTimeoutMs);
    const discovery = makeTimedApiClient(kc, DiscoveryV1Api, timings.requestTimeoutMs);
    this.endpointSlices = new ResilientInformer<V1EndpointSlice>(
      kc,
      {
        resource: `endpointslices/${namespace}`,
        path: `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
        list: () => discovery.listNamespacedEndpointSlice({ namespace }),
        stopWhenNotServed: true,
      },
      { onChange: () => this.changed(), onSynced: () => this.changed(true), onRestart: hooks.onRestart },
      log,
      timings.backoff,
      timings.watch,
    );
    const fieldSelector = `metadata.name=${name}`;
    this.deployment = new ResilientInformer<V1Deployment>(
      kc,
      {
        resource: `deployments/${namespace}/${name}`,
        path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
        list: () => this.apps.listNamespacedDeployment({ namespace, fieldSelector }),
        fieldSelector,
      },
      { onChange: () => this.changed(), onSynced: () => this.changed(true), onRestart: hooks.onRestart },
      log,
      timings.backoff,
      timings.watch,
    );
  }

  start(): void {
    this.stopped = false;
    this.deployment.start();
    this.endpointSlices.start();
  }

  /** The Deployment, and (once known) its ReplicaSets and pods. */
  facts(): RolloutFacts {
    const d = this.deployment.list()[0];
    return {
      namespace: this.namespace,
      name: this.name,
      deployment: d as DeploymentFacts | undefined,
      replicaSets: (this.replicaSets?.list() ?? []) as ReplicaSetFacts[],
      pods: (this.pods?.list() ?? []) as PodFacts[],
      podsKnown: !!d && !!this.pods?.synced,
      replicaSetsKnown: !!d && !!this.replicaSets?.synced,
      endpointSlices: this.endpointSlices.list() as EndpointSliceFacts[],
      endpointsKnown: this.endpointSlices.synced,
    };
  }

  /** The Deployment watch has listed once. */
  get deploymentKnown(): boolean {
    return this.deployment.synced;
  }

  /**
   * Everything there is to know has been listed once, or failed once (then the verdict says what is missing
   * rather than wait): a restarted operator does not judge a rollout from half a picture.
   */
  get settled(): boolean {
    if (!this.deployment.settled || !this.endpointSlices.settled) return false;
    if (this.deployment.synced && this.deployment.list().length > 0)
      return !!this.pods?.settled && !!this.replicaSets?.settled;
    return true;
  }

  syncDetail(): string {
    const part = (i: ResilientInformer<KubernetesObject> | undefined) =>
      i?.unserved ? 'not served by this API server' : i?.synced ? 'synced' : 'not synced';
    return `envoy rollout watches: deployment ${part(this.deployment as never)}, replicasets ${part(this.replicaSets as never)}, pods ${part(this.pods as never)}, endpointslices ${part(this.endpointSlices as never)}`;
  }

  private changed(force = false): void {
    if (this.stopped) return;
    this.followSelector();
    const next = digest(this.facts());
    if (!force && next === this.lastDigest) return;
    this.lastDigest = next;
    this.log.debug('the Envoy rollout changed', {
      deployment: this.facts().deployment?.metadata?.generation,
      observed: this.facts().deployment?.status?.observedGeneration,
    });
    this.hooks.onChange();
  }

  /** (Re)start the ReplicaSet and pod watches with the Deployment's selector (immutable, but the Deployment may be recreated). */
  private followSelector(): void {
    const d = this.deployment.list()[0];
    if (!d) return;
    const selector = labelSelectorQuery(d.spec?.selector as LabelSelector | undefined);
    if (selector === this.selector || !selector) return;
    this.selector = selector;
    const old = [this.replicaSets, this.pods];
    const ns = this.namespace;
    const hooks = {
      onChange: () => this.changed(),
      onSynced: () => this.changed(true),
      onRestart: this.hooks.onRestart,
    };
    this.replicaSets = new ResilientInformer<V1ReplicaSet>(
      this.kc,
      {
        resource: `replicasets/${ns}`,
        path: `/apis/apps/v1/namespaces/${ns}/replicasets`,
        list: () => this.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: selector }),
        labelSelector: selector,
        stopWhenNotServed: true,
      },
      hooks,
      this.log,
      this.timings.backoff,
      this.timings.watch,
    );
    this.pods = new ResilientInformer<V1Pod>(
      this.kc,
      {
        resource: `pods/${ns}`,
        path: `/api/v1/namespaces/${ns}/pods`,
        list: () => this.core.listNamespacedPod({ namespace: ns, labelSelector: selector }),
        labelSelector: selector,
        // `portico dev`'s API server has no pods (nor kubelet): progress then comes from the Deployment status alone.
        stopWhenNotServed: true,
      },
      hooks,
      this.log,
      this.timings.backoff,
      this.timings.watch,
    );
    this.replicaSets.start();
    this.pods.start();
    for (const i of old) void i?.stop();
    this.log.info('watching the Envoy pods and ReplicaSets', { namespace: ns, labelSelector: selector });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([
      this.deployment.stop(),
      this.endpointSlices.stop(),
      this.replicaSets?.stop(),
      this.pods?.stop(),
    ]);
  }
}
