// Writes `.status` of Mappings and TLSContexts through the /status subresource, only when it changed, with
// read-and-retry on a 409 Conflict. The object's resourceVersion comes from the informer cache; on a conflict
// the fresh object is read, and if its generation moved on, we leave it to the next reconcile.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ObjectStatus } from '../compile/types.js';
import type { ClusterApi } from '../kube/cluster-writer.js';
import type { StatusWrite } from './plan.js';
import { apiErrorCode, apiErrorMessage } from '../kube/api-error.js';
import { desiredStatus, isStale, statusDiffers, type ObjectStatusBody, type PublishOutcome } from './status.js';
import type { Logger } from '../log/logger.js';

const MAX_ATTEMPTS = 5;
const PARALLEL = 8;

type Obj = KubernetesObject & { status?: ObjectStatusBody };

export interface StatusWriteResult {
  written: number;
  unchanged: number;
  failed: number;
}

/** Carries out planReport's status writes, eight at a time. */
export async function writeStatuses(
  writer: ClusterApi,
  writes: readonly StatusWrite[],
  log: Logger,
): Promise<StatusWriteResult> {
  const result: StatusWriteResult = { written: 0, unchanged: 0, failed: 0 };
  const queue = [...writes];
  const worker = async () => {
    for (let w = queue.shift(); w; w = queue.shift()) {
      const s = w.computed;
      try {
        const wrote = await writeOne(writer, s, w.outcome, w.object as Obj);
        if (wrote) result.written++;
        else result.unchanged++;
      } catch (err) {
        result.failed++;
        log.warn('cannot write status', {
          object: { kind: s.ref.kind, namespace: s.ref.namespace, name: s.ref.name },
          error: apiErrorMessage(err),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return result;
}

async function writeOne(
  writer: ClusterApi,
  computed: ObjectStatus,
  outcome: PublishOutcome,
  cachedObj: Obj,
): Promise<boolean> {
  const plural = computed.ref.kind === 'Mapping' ? 'mappings' : 'tlscontexts';
  let obj: Obj | undefined = cachedObj;
  for (let attempt = 1; obj; attempt++) {
    if (computed.ref.generation !== undefined && obj.metadata?.generation !== computed.ref.generation) return false; // newer spec: next reconcile
    const desired = desiredStatus(obj.status, computed, outcome, new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
    if (isStale(obj.status, desired) || !statusDiffers(obj.status, desired)) return false;
    try {
      await writer.replaceStatus(plural, { ...obj, status: desired });
      return true;
    } catch (err) {
      if (apiErrorCode(err) !== 409 || attempt >= MAX_ATTEMPTS) throw err;
      obj = (await writer.getCustom(plural, computed.ref.namespace, computed.ref.name)) as Obj | undefined;
    }
  }
  return false;
}
