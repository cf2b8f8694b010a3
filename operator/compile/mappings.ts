// One Mapping on its own: schema check (ajv, from the CRD), service string, backend resolution. The result is
// either a rejection (Accepted=False, reason Invalid, message starting with the field path) or a route
// candidate whose action forwards to a cluster or, when the backend cannot be resolved, answers 503 so the
// request never falls through to a shorter prefix.
import { admitMapping } from '../api/validators.js';
import { Reasons, refsNotResolved, refsResolved } from '../api/conditions.js';
import type { Condition, Mapping } from '../api/types.js';
import { resolveBackend, type ServiceIndex } from './backend.js';
import type { IRCluster, IRDirectResponse, IRForward } from './ir.js';
import { refNotPermittedMessage, type ReferenceGrantIndex } from './reference-grants.js';
import { pathFormProblem } from './path-form.js';
import { planRewrite } from './rewrite.js';
import { parseServiceRef } from './service-ref.js';
import { nameOf, namespaceOf } from './source-objects.js';

export interface MappingCandidate {
  namespace: string;
  name: string;
  uid?: string;
  generation?: number;
  prefix: string;
  host?: string;
  action: IRForward | IRDirectResponse;
  cluster?: IRCluster;
  resolvedRefs: Condition;
}

export type MappingOutcome =
  | { ok: true; candidate: MappingCandidate }
  | { ok: false; namespace: string; name: string; uid?: string; generation?: number; message: string };

export const UNAVAILABLE_BODY = 'portico: no backend for this route\n';

function generationOf(obj: unknown): number | undefined {
  const g = (obj as { metadata?: { generation?: unknown } })?.metadata?.generation;
  return typeof g === 'number' && Number.isInteger(g) && g >= 0 ? g : undefined;
}

// A plain function rather than a per-call closure: this runs once per Mapping (50k in a large cluster).
function rejected(message: string, namespace: string, name: string, uid: string | undefined, generation: number | undefined): MappingOutcome {
  return { ok: false, namespace, name, uid, generation, message };
}

type CandidateBase = Pick<MappingCandidate, 'namespace' | 'name' | 'uid' | 'generation' | 'prefix' | 'host'>;

/** A route that answers 503 itself, so the request never falls through to a shorter prefix. */
function unavailable(base: CandidateBase, resolvedRefs: Condition): MappingCandidate {
  return { ...base, action: { kind: 'direct', status: 503, body: UNAVAILABLE_BODY }, resolvedRefs };
}

export function compileMapping(raw: Mapping, services: ServiceIndex, grants: ReferenceGrantIndex): MappingOutcome {
  const namespace = namespaceOf(raw);
  const name = nameOf(raw);
  const generation = generationOf(raw);
  const uid = typeof raw.metadata?.uid === 'string' && raw.metadata.uid !== '' ? raw.metadata.uid : undefined;

  const { errors, object } = admitMapping(raw);
  if (errors.length > 0) return rejected(errors.map((e) => `${e.field}: ${e.message}`).join('; '), namespace, name, uid, generation);
  const { prefix, host } = object.spec;
  const prefixProblem = pathFormProblem(prefix, 'prefix');
  if (prefixProblem) return rejected(`spec.prefix: Invalid value: ${prefixProblem}`, namespace, name, uid, generation);
  const rewriteProblem = object.spec.rewrite ? pathFormProblem(object.spec.rewrite, 'rewrite') : undefined;
  if (rewriteProblem) return rejected(`spec.rewrite: Invalid value: ${rewriteProblem}`, namespace, name, uid, generation);

  const parsed = parseServiceRef(object.spec.service, namespace);
  if (!parsed.ok) return rejected(`spec.service: ${parsed.message}`, namespace, name, uid, generation);

  const base = { namespace, name, uid, generation, prefix, ...(host ? { host } : {}) };
  const target = parsed.value;
  // The grant is checked before the Service is looked up, so a denial never reveals whether it exists.
  if (!grants.permits('Mapping', namespace, 'Service', target.namespace, target.name)) {
    const message = refNotPermittedMessage('spec.service', 'Mapping', namespace, 'Service', target.namespace, target.name);
    return { ok: true, candidate: unavailable(base, refsNotResolved(Reasons.RefNotPermitted, `${message}; the route answers 503`, generation)) };
  }
  const backend = resolveBackend(target, services);
  if (!backend.ok) {
    return { ok: true, candidate: unavailable(base, refsNotResolved(backend.reason, `spec.service: ${backend.message}; the route answers 503`, generation)) };
  }
  return {
    ok: true,
    candidate: {
      ...base,
      action: { kind: 'forward', cluster: backend.cluster.name, rewrite: planRewrite(prefix, object.spec.rewrite) },
      cluster: backend.cluster,
      resolvedRefs: refsResolved(generation, `Service ${parsed.value.namespace}/${parsed.value.name} port ${backend.cluster.port}`),
    },
  };
}
