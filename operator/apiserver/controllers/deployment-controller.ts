// A Deployment controller for the embedded server (opt-in: `portico dev` turns it on), so `kubectl rollout
// history|undo|status` work without a cluster: on every Deployment change it writes what deployment-rollout.ts
// plans, through the same write path as any client, as kube-controller-manager. There are no pods: a
// ReplicaSet counts as ready at once. Every step is a no-op when nothing changed, so its own writes settle.
import { timestamp, type ApiState } from '../api-state.js';
import { deferIsolated } from '../storage/isolation.js';
import { deleteObject } from '../writes/object-deletion.js';
import { createObject, updateObject, type WriteOptions } from '../writes/object-writes.js';
import { isControlledBy, planRollout, REVISION } from './deployment-rollout.js';
import type { K8sObject } from '../storage/stored-objects.js';

const DEPLOYMENTS = 'apps/deployments';
const REPLICA_SETS = 'apps/replicasets';
const CONTROLLER: WriteOptions = { manager: 'kube-controller-manager', fieldValidation: 'Ignore', dryRun: false };

function writeStatus(state: ApiState, kind: 'deployments' | 'replicasets', obj: K8sObject, status: K8sObject): void {
  const rt = state.registry.find('apps', 'v1', kind)!;
  updateObject(
    state,
    rt,
    obj.metadata.namespace,
    obj.metadata.name,
    { ...obj, status },
    { ...CONTROLLER, subresource: 'status' },
  );
}

function syncDeployment(state: ApiState, namespace: string, name: string): void {
  const d = state.store.get(DEPLOYMENTS, namespace, name);
  if (!d || d.metadata.deletionTimestamp) return;
  const rsType = state.registry.find('apps', 'v1', 'replicasets')!;
  const deploymentType = state.registry.find('apps', 'v1', 'deployments')!;
  const owned = state.store
    .dependentsOf(d.metadata.uid)
    .filter((x) => x.resource === REPLICA_SETS && isControlledBy(x.object, d))
    .map((x) => x.object);
  const plan = planRollout(d, owned, timestamp(state.now()));

  for (const rs of plan.replicaSets) {
    const { status, ...desired } = rs;
    const stored = owned.find((o) => o.metadata.name === rs.metadata.name);
    const written = stored
      ? updateObject(
          state,
          rsType,
          namespace,
          rs.metadata.name,
          { ...desired, metadata: { ...desired.metadata, resourceVersion: stored.metadata.resourceVersion } },
          CONTROLLER,
        ).object
      : createObject(state, rsType, namespace, desired, CONTROLLER).object;
    writeStatus(state, 'replicasets', written, { ...status, observedGeneration: written.metadata.generation });
  }
  for (const rsName of plan.deleteReplicaSets)
    deleteObject(state, rsType, namespace, rsName, { propagationPolicy: 'Background' });

  const current = state.store.get(DEPLOYMENTS, namespace, name)!;
  let next = current;
  if (current.metadata.annotations?.[REVISION] !== plan.revision) {
    const annotated = {
      ...current,
      metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, [REVISION]: plan.revision } },
    };
    next = updateObject(state, deploymentType, namespace, name, annotated, CONTROLLER).object;
  }
  writeStatus(state, 'deployments', next, plan.status);
}

export function startDeploymentController(state: ApiState): () => void {
  return state.store.subscribe((e) => {
    if (e.resource !== DEPLOYMENTS || e.type === 'DELETED') return;
    const { namespace, name } = e.object.metadata;
    deferIsolated(`the Deployment controller's sync of ${namespace}/${name}`, () =>
      syncDeployment(state, namespace, name),
    );
  });
}
