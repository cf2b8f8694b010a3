// The status of each Mapping, from what the compiler decided about it: rejected on its own (invalid, claims
// nothing), refused a host another namespace owns, refused a match another namespace holds (canary groups never
// span namespaces), or in the route table (valid, or invalid and holding its match as a 503 placeholder).
import { Reasons, accepted, condition, notAccepted, notProgrammed, programmedPending } from '../api/conditions.js';
import type { CanaryConflict } from './canary-groups.js';
import type { MappingCandidate, MappingIdent } from './mappings.js';
import type { IdleShadow, RouteGroup } from './routes.js';
import type { ObjectStatus } from './types.js';

function mappingRef(m: MappingIdent): ObjectStatus['ref'] {
  return {
    kind: 'Mapping',
    namespace: m.namespace,
    name: m.name,
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.generation !== undefined ? { generation: m.generation } : {}),
  };
}

const alsoInvalid = (c: MappingCandidate): string => (c.invalid ? `; the Mapping is also invalid: ${c.invalid}` : '');

/** Invalid and without a usable prefix or host: nothing of it is in the config. */
export function invalidMappingStatus(
  ident: MappingIdent,
  message: string,
  reason: string = Reasons.Invalid,
): ObjectStatus {
  const gen = ident.generation;
  return {
    ref: mappingRef(ident),
    conditions: [
      notAccepted(reason, message, gen),
      condition('ResolvedRefs', 'Unknown', reason, 'Not checked: the object is invalid', gen),
      notProgrammed(reason, message, gen),
    ],
    inConfig: false,
  };
}

function conflictedStatus(c: MappingCandidate, message: string): ObjectStatus {
  const gen = c.generation;
  return {
    ref: mappingRef(c),
    conditions: [
      notAccepted(Reasons.Conflicted, message, gen),
      c.resolvedRefs,
      notProgrammed(Reasons.Conflicted, message, gen),
    ],
    inConfig: false,
  };
}

/** spec.host belongs to another namespace that did not grant it: the Mapping claims nothing. */
export function hostRefusedStatus(c: MappingCandidate, refusal: string): ObjectStatus {
  return conflictedStatus(c, `spec.host: ${refusal}${alsoInvalid(c)}`);
}

/** Same host and prefix as Mappings of an older namespace. */
export function canaryConflictStatus({ candidate: c, holderNamespace }: CanaryConflict): ObjectStatus {
  const where = c.host ? `host ${c.host} and prefix ${c.prefix}` : `prefix ${c.prefix} (without a host)`;
  return conflictedStatus(
    c,
    `spec.prefix: Mappings in namespace ${holderNamespace} already route ${where}, and theirs is the oldest; Mappings with the same host and prefix split traffic only within one namespace${alsoInvalid(c)}`,
  );
}

const percentText = (p: number): string => `${Number.isInteger(p) ? p : p.toFixed(2)} %`;

/** Every member of every route group: Accepted (or Invalid, holding its match), split notes for canary groups. */
export function routedMappingStatuses(groups: readonly RouteGroup[]): ObjectStatus[] {
  const out: ObjectStatus[] = [];
  for (const group of groups) {
    const n = group.members.length;
    const weighted = group.members.some((m) => m.weight !== undefined);
    const ids = group.members.slice(0, 6).map((p) => `${p.namespace}/${p.name}`);
    group.members.forEach((m, i) => {
      const gen = m.generation;
      if (m.invalid) {
        const held = m.host ? `host ${m.host} and prefix ${m.prefix}` : `prefix ${m.prefix}`;
        const message = `${m.invalid}; until it is fixed, requests for its ${held} get 503, so they never fall through to a shorter prefix`;
        const reason = m.invalidReason ?? Reasons.Invalid;
        out.push({
          ref: mappingRef(m),
          conditions: [notAccepted(reason, message, gen), m.resolvedRefs, notProgrammed(reason, message, gen)],
          inConfig: true,
        });
        return;
      }
      const peers = ids.filter((id) => id !== `${m.namespace}/${m.name}`).slice(0, 5);
      const others = `${peers.join(', ')}${n - 1 > peers.length ? ', …' : ''}`;
      let message =
        n === 1
          ? 'Accepted'
          : weighted
            ? `Same match as Mapping ${others}: this one gets ${percentText(group.percents[i])} of the traffic`
            : `Same host and prefix as Mapping ${others}: traffic is split evenly (1/${n} each)`;
      if (group.mirror)
        message += `; Mapping ${group.mirror.namespace}/${group.mirror.name} gets a copy of ${group.mirror.weight ?? 100} % of its requests (shadow)`;
      out.push({
        ref: mappingRef(m),
        conditions: [accepted(gen, message), m.resolvedRefs, programmedPending(gen)],
        inConfig: true,
      });
    });
    const s = group.mirror;
    if (s) {
      const message = `Mirrors ${s.weight ?? 100} % of the requests of Mapping ${ids.slice(0, 5).join(', ')}${n > 5 ? ', …' : ''} (shadow: its responses are discarded)`;
      out.push({
        ref: mappingRef(s),
        conditions: [accepted(s.generation, message), s.resolvedRefs, programmedPending(s.generation)],
        inConfig: true,
      });
    }
  }
  return out;
}

/** A shadow with nothing to mirror (no Mapping of its match), or one more shadow for a group that has one. */
export function idleShadowStatus({ candidate: c, mirroredBy }: IdleShadow): ObjectStatus {
  const gen = c.generation;
  const why = mirroredBy
    ? `spec.shadow: Mapping ${mirroredBy} already mirrors the Mappings with this match (one shadow per match, the first by namespace/name)`
    : c.action.kind !== 'forward'
      ? `spec.shadow: its service cannot be resolved, so nothing is mirrored`
      : `spec.shadow: no Mapping without shadow has the same match${c.host ? ` (host ${c.host}, prefix ${c.prefix})` : ` (prefix ${c.prefix})`}, so there is no traffic to mirror`;
  return {
    ref: mappingRef(c),
    conditions: [notAccepted(Reasons.Invalid, why, gen), c.resolvedRefs, notProgrammed(Reasons.Invalid, why, gen)],
    inConfig: false,
  };
}
