// Publishing one validated config: ConfigMap + certs Secret (server-side apply), then the Deployment's pod
// template, then garbage collection of old generations. Nothing is written when the Deployment already points
// at this hash and both objects exist, so an operator restart with nothing changed writes nothing.
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { ClusterWriter } from '../kube/cluster-writer.js';
import {
  HASH_LABEL,
  PUBLISHED_AT_ANNOTATION,
  PUBLISHED_SELECTOR,
  certsSecretFor,
  certsSecretName,
  configMapFor,
  configMapName,
  deploymentApplyFor,
  referencedNames,
  templateHash,
  type PublishableConfig,
} from './publish-plan.js';
import { selectGarbage, type PublishedObject } from './garbage-collection.js';
import type { Logger } from '../log/logger.js';

export interface PublishResult {
  /** The Deployment's template points at this config now. */
  deploymentPointsAtConfig: boolean;
  /** We patched the Deployment in this call (a rollout). */
  rolled: boolean;
  /** ConfigMap/Secret written in this call. */
  objectsWritten: boolean;
  deploymentMissing: boolean;
  collected: string[];
}

export class Publisher {
  /** Hash whose ConfigMap and Secret we know exist (written or seen by us). */
  private confirmedHash: string | undefined;

  constructor(
    private readonly writer: ClusterWriter,
    private readonly namespace: string,
    private readonly deploymentName: string,
    private readonly log: Logger,
  ) {}

  async publish(config: PublishableConfig): Promise<PublishResult> {
    const ns = this.namespace;
    const deployment = await this.writer.getDeployment(ns, this.deploymentName);
    const result: PublishResult = { deploymentPointsAtConfig: false, rolled: false, objectsWritten: false, deploymentMissing: !deployment, collected: [] };

    if (this.confirmedHash !== config.hash) {
      const existing = await this.writer.listPublished(ns, `${PUBLISHED_SELECTOR}=${config.hash}`);
      const names = new Set(existing.map((o) => o.metadata?.name));
      const pointsHere = templateHash(deployment) === config.hash;
      // Re-apply when missing, or when switching back to an older generation (refreshes published-at for GC).
      if (!pointsHere || !names.has(configMapName(config.hash)) || !names.has(certsSecretName(config.hash))) {
        const at = new Date().toISOString();
        await this.writer.apply(configMapFor(config, ns, at));
        await this.writer.apply(certsSecretFor(config, ns, at));
        result.objectsWritten = true;
        this.log.info('published config', { configMap: { kind: 'ConfigMap', namespace: ns, name: configMapName(config.hash) }, hash: config.hash, bytes: config.json.length });
      }
      this.confirmedHash = config.hash;
    }

    if (deployment) {
      if (templateHash(deployment) !== config.hash) {
        await this.writer.apply(deploymentApplyFor(this.deploymentName, ns, config.hash));
        result.rolled = true;
        this.log.info('rolled the Envoy Deployment', { deployment: { kind: 'Deployment', namespace: ns, name: this.deploymentName }, hash: config.hash });
      }
      result.deploymentPointsAtConfig = true;
    }
    if (result.objectsWritten || result.rolled) result.collected = await this.collectGarbage(config.hash, deployment);
    return result;
  }

  /** Forget what we confirmed (e.g. after losing leadership: someone else may have changed things). */
  reset(): void {
    this.confirmedHash = undefined;
  }

  private async collectGarbage(currentHash: string, deployment: V1Deployment | undefined): Promise<string[]> {
    const ns = this.namespace;
    const [published, replicaSets] = await Promise.all([this.writer.listPublished(ns, PUBLISHED_SELECTOR), this.writer.listReplicaSets(ns)]);
    const referenced = new Set<string>([configMapName(currentHash), certsSecretName(currentHash)]);
    // The template we just replaced may still be rolling out: its pods are in a ReplicaSet, but be safe
    // even before the ReplicaSet shows up.
    for (const n of referencedNames(deployment)) referenced.add(n);
    for (const rs of replicaSets) {
      const live = (rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0;
      if (live) for (const n of referencedNames(rs)) referenced.add(n);
    }
    const garbage = selectGarbage(published.map(toPublished).filter((p): p is PublishedObject => !!p), referenced);
    for (const g of garbage) {
      await this.writer.delete(g.kind, ns, g.name);
      this.log.info('deleted old config generation', { object: { kind: g.kind, namespace: ns, name: g.name } });
    }
    return garbage.map((g) => g.name);
  }
}

function toPublished(o: KubernetesObject): PublishedObject | undefined {
  const hash = o.metadata?.labels?.[HASH_LABEL];
  const name = o.metadata?.name;
  if (!hash || !name || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) return undefined;
  const created = o.metadata?.creationTimestamp as unknown;
  const publishedAt =
    o.metadata?.annotations?.[PUBLISHED_AT_ANNOTATION] ?? (created instanceof Date ? created.toISOString() : typeof created === 'string' ? created : '');
  return { kind: o.kind, name, hash, publishedAt };
}
