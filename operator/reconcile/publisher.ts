// Publishing one validated config: its ConfigMaps + certs Secrets (server-side apply, parts before heads),
// then the Deployment's pod template, then garbage collection of old generations. Nothing is written when the
// Deployment already points at this generation and all its objects exist, so an operator restart with nothing
// changed writes nothing. A config that cannot be published at any size (a certificate file over a Secret's
// limit) is refused: nothing is written and the result says why. A Deployment someone else pointed at another
// complete generation (`kubectl rollout undo`) is left there until this config changes (rollback.ts). What a
// generation is made of, and which old ones are garbage, is publish/'s (pure); this file does the writes.
// In `xds` delivery the Deployment is left alone: the last write is the pointer ConfigMap naming the generation
// every replica's xDS server serves (publishXds).
import type { V1Deployment } from '@kubernetes/client-node';
import { FIELD_MANAGER, type ClusterApi } from '../kube/cluster-writer.js';
import {
  PUBLISHED_SELECTOR,
  XDS_CURRENT_CONFIGMAP,
  XDS_CURRENT_KEY,
  XDS_CURRENT_SELECTOR,
  configMapName,
} from '../publish/names.js';
import {
  deploymentApplyFor,
  planPublication,
  publicationNames,
  publishedObjects,
  xdsPointerApplyFor,
  type Publication,
  type PublishableConfig,
} from '../publish/publication.js';
import { templateHash, templateMatches } from '../publish/template-refs.js';
import { namesInUse, publishedObjectOf, selectGarbage, type PublishedObject } from '../publish/garbage-collection.js';
import type { OversizedFile } from '../publish/cert-sets.js';
import type { Logger } from '../log/logger.js';
import { foreignHashOwners } from './rollback.js';
import type { RolledBack } from './programmed.js';

export interface PublishResult {
  /** The Deployment's template points at this config now. */
  deploymentPointsAtConfig: boolean;
  /** We patched the Deployment in this call (a rollout). */
  rolled: boolean;
  /** ConfigMaps/Secrets written in this call. */
  objectsWritten: boolean;
  deploymentMissing: boolean;
  /** The Deployment as this call left it: the apply's answer when we rolled, else what we read. */
  deployment?: V1Deployment;
  /** Left at an older config someone else chose (the template is theirs, not ours). */
  rolledBack?: RolledBack;
  /**
   * Deletes generations beyond the newest few. Left to the caller, which runs it after the status writes, so
   * `Programmed=True` is not delayed by clean-up (it was half of the write → Programmed latency).
   */
  collectGarbage?: () => Promise<string[]>;
  /** Set when the config cannot be published; nothing was written. */
  refused?: { reason: 'TooLarge'; message: string; oversized: OversizedFile[] };
}

/** How Envoy gets a config: a rollout of the Deployment, or the xDS stream (DESIGN.md "The contract with Envoy"). */
export type Delivery = 'rollout' | 'xds';
export const DELIVERIES: readonly Delivery[] = ['rollout', 'xds'];

export class Publisher {
  /** `xds`: the hash the pointer ConfigMap is known to name. */
  private pointer: string | undefined;
  /** Hash whose objects we know exist (written or seen by us). */
  private confirmedHash: string | undefined;
  /** The last plan, so an unchanged config is not gzip'd again on every resync. */
  private lastPlan: Publication | undefined;
  /** A rollback we honour: the Deployment's config, and ours when we first saw it (a new one of ours ends it). */
  private rollback: { deploymentHash: string; configHash: string } | undefined;

  constructor(
    private readonly writer: ClusterApi,
    private readonly namespace: string,
    private readonly deploymentName: string,
    private readonly log: Logger,
    private readonly delivery: Delivery = 'rollout',
    /**
     * `xds`: the generation the pointer names now, with the bytes just written, so the leader's own xDS server
     * serves it without waiting to read it back (followers read it back; the bytes are the same).
     */
    private readonly onPointed?: (config: PublishableConfig) => void,
  ) {}

  async publish(config: PublishableConfig): Promise<PublishResult> {
    const ns = this.namespace;
    const empty = { deploymentPointsAtConfig: false, rolled: false, objectsWritten: false };
    let plan = this.lastPlan?.hash === config.hash ? this.lastPlan : undefined;
    if (!plan) {
      const planned = planPublication(config);
      if (!planned.ok) {
        this.log.error('config cannot be published; keeping the last one', {
          hash: config.hash,
          reason: planned.reason,
          message: planned.message,
        });
        return {
          ...empty,
          deploymentMissing: false,
          refused: { reason: planned.reason, message: planned.message, oversized: planned.oversized },
        };
      }
      plan = this.lastPlan = planned.publication;
    }

    if (this.delivery === 'xds') {
      const result = await this.publishXds(plan);
      this.onPointed?.(config);
      return result;
    }
    const deployment = await this.writer.getDeployment(ns, this.deploymentName);
    const result: PublishResult = { ...empty, deploymentMissing: !deployment, deployment };
    const pointsHere = templateMatches(deployment, plan);

    await this.ensureObjects(plan, pointsHere, result);

    if (deployment) {
      result.rolledBack = pointsHere ? undefined : await this.honouredRollback(deployment, config.hash);
      if (pointsHere) {
        this.rollback = undefined;
      } else if (!result.rolledBack) {
        result.deployment = (await this.writer.apply(
          deploymentApplyFor(this.deploymentName, ns, plan),
        )) as unknown as V1Deployment;
        result.rolled = true;
        this.rollback = undefined;
        this.log.info('rolled the Envoy Deployment', {
          deployment: { kind: 'Deployment', namespace: ns, name: this.deploymentName },
          hash: config.hash,
        });
      }
      result.deploymentPointsAtConfig = !result.rolledBack;
    }
    const published = plan;
    if (result.objectsWritten || result.rolled)
      result.collectGarbage = () => this.collectGarbage(published, deployment);
    return result;
  }

  /** Writes the generation's objects, unless they are known to exist (re-applied when incomplete or not pointed at). */
  private async ensureObjects(plan: Publication, pointedAt: boolean, result: PublishResult): Promise<void> {
    const ns = this.namespace;
    if (this.confirmedHash === plan.hash) return;
    const existing = await this.writer.listPublished(ns, `${PUBLISHED_SELECTOR}=${plan.hash}`);
    const have = new Set(existing.map((o) => `${o.kind}/${o.metadata?.name}`));
    const names = publicationNames(plan);
    const complete =
      names.configMaps.every((n) => have.has(`ConfigMap/${n}`)) && names.secrets.every((n) => have.has(`Secret/${n}`));
    // Re-apply when incomplete, or when switching back to an older generation (refreshes published-at for GC).
    if (!pointedAt || !complete) {
      const at = new Date().toISOString();
      for (const obj of publishedObjects(plan, ns, at)) await this.writer.apply(obj);
      result.objectsWritten = true;
      this.log.info('published config', {
        configMap: { kind: 'ConfigMap', namespace: ns, name: configMapName(plan.hash) },
        hash: plan.hash,
        bytes: plan.jsonBytes,
        gzipBytes: plan.gzipBytes,
        configMaps: plan.configMaps.length,
        secrets: plan.secrets.length,
      });
    }
    this.confirmedHash = plan.hash;
  }

  /**
   * `xds`: the generation's objects, then the pointer ConfigMap naming it (every replica's xDS server follows the
   * pointer). Nothing is written when the pointer already names this generation and its objects exist.
   */
  private async publishXds(plan: Publication): Promise<PublishResult> {
    const ns = this.namespace;
    const result: PublishResult = {
      deploymentPointsAtConfig: true,
      rolled: false,
      objectsWritten: false,
      deploymentMissing: false,
    };
    if (this.pointer === undefined) {
      const { configMaps } = await this.writer.readGeneration(ns, XDS_CURRENT_SELECTOR);
      this.pointer = configMaps.find((c) => c.metadata?.name === XDS_CURRENT_CONFIGMAP)?.data?.[XDS_CURRENT_KEY] ?? '';
    }
    await this.ensureObjects(plan, this.pointer === plan.hash, result);
    if (this.pointer !== plan.hash) {
      await this.writer.apply(xdsPointerApplyFor(ns, plan.hash));
      this.pointer = plan.hash;
      result.rolled = true;
      this.log.info('pointed the xDS servers at the published config', {
        configMap: { kind: 'ConfigMap', namespace: ns, name: XDS_CURRENT_CONFIGMAP },
        hash: plan.hash,
      });
    }
    if (result.objectsWritten || result.rolled) result.collectGarbage = () => this.collectGarbage(plan, undefined);
    return result;
  }

  /**
   * The rollback to leave in place, if the Deployment's config-hash annotation belongs to another field manager,
   * names a complete published generation, and our config has not changed since we first saw it there.
   */
  private async honouredRollback(deployment: V1Deployment, configHash: string): Promise<RolledBack | undefined> {
    const owners = foreignHashOwners(deployment, FIELD_MANAGER);
    const hash = templateHash(deployment);
    if (owners.length === 0 || !hash || hash === configHash) return undefined;
    if (this.rollback && this.rollback.configHash !== configHash) return undefined; // we have a newer config: roll forward
    if (this.rollback?.deploymentHash !== hash) {
      const existing = await this.writer.listPublished(this.namespace, `${PUBLISHED_SELECTOR}=${hash}`);
      if (!existing.some((o) => o.kind === 'ConfigMap' && o.metadata?.name === configMapName(hash))) return undefined; // not a whole generation: drift
      this.log.warn(
        'the Envoy Deployment was pointed at an older configuration by someone else (kubectl rollout undo?); leaving it there until the next change',
        {
          deployment: { kind: 'Deployment', namespace: this.namespace, name: this.deploymentName },
          hash,
          latest: configHash,
          by: owners,
        },
      );
    }
    this.rollback = { deploymentHash: hash, configHash };
    return { hash, by: owners.join(', ') };
  }

  /** Forget what we confirmed (e.g. after losing leadership: someone else may have changed things). */
  reset(): void {
    this.confirmedHash = undefined;
    this.pointer = undefined;
  }

  private async collectGarbage(current: Publication, deployment: V1Deployment | undefined): Promise<string[]> {
    const ns = this.namespace;
    const [published, replicaSets] = await Promise.all([
      this.writer.listPublished(ns, PUBLISHED_SELECTOR),
      this.writer.listReplicaSets(ns),
    ]);
    const garbage = selectGarbage(
      published.map(publishedObjectOf).filter((p): p is PublishedObject => !!p),
      namesInUse(current, deployment, replicaSets),
    );
    for (const g of garbage) {
      await this.writer.delete(g.kind, ns, g.name);
      this.log.info('deleted old config generation', { object: { kind: g.kind, namespace: ns, name: g.name } });
    }
    return garbage.map((g) => g.name);
  }
}
