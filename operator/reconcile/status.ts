// Pure status computation: from the compiler's ObjectStatus and the publish outcome to the `.status` we want
// on the object, and whether that differs from what is there. lastTransitionTime changes only when a
// condition's status flips (meta.SetStatusCondition semantics), and is ignored when comparing, so a
// re-computation never causes a write by itself.
import type { Condition, ConditionType, MappingStatus } from '../api/types.js';
import type { ObjectStatus } from '../compile/types.js';
import { programmed, notProgrammed } from '../api/conditions.js';
import { jsonEqual } from '../api/json-equality.js';

const OURS: ReadonlySet<string> = new Set<ConditionType>(['Accepted', 'ResolvedRefs', 'Programmed']);

/** What happened to the config that carries the in-config objects. */
export type PublishOutcome =
  | { kind: 'programmed' }
  /**
   * Not (yet) live: e.g. the Deployment is missing, or the generated config failed validation. `objects`
   * (`Kind/namespace/name` → message) gives the objects a rejection was traced to their own message.
   */
  | { kind: 'not-programmed'; reason: string; message: string; objects?: ReadonlyMap<string, string> };

/** A Mapping's or TLSContext's status: observedGeneration and conditions (a TLSContext adds notAfter). */
export type ObjectStatusBody = MappingStatus & Record<string, unknown>;

/**
 * The conditions to write for one object, before lastTransitionTime is filled in. Programmed=True means "live
 * and working as written": an object that is in the config only as a placeholder (a Mapping whose Service is
 * missing answers 503) stays Programmed=False with the reason of its failing condition.
 */
export function finalConditions(computed: ObjectStatus, outcome: PublishOutcome): Condition[] {
  const gen = computed.ref.generation;
  const failing = computed.conditions.find((c) => c.type !== 'Programmed' && c.status !== 'True');
  return computed.conditions.map((c) => {
    if (c.type !== 'Programmed' || !computed.inConfig) return c;
    if (outcome.kind !== 'programmed') {
      const own = outcome.objects?.get(`${computed.ref.kind}/${computed.ref.namespace}/${computed.ref.name}`);
      return notProgrammed(outcome.reason, own ?? outcome.message, gen);
    }
    if (failing)
      return notProgrammed(failing.reason, `${failing.message} (a placeholder route is published meanwhile)`, gen);
    return programmed(gen);
  });
}

/** The full desired `.status`, keeping lastTransitionTime of unchanged conditions and foreign conditions. */
export function desiredStatus(
  current: ObjectStatusBody | undefined,
  computed: ObjectStatus,
  outcome: PublishOutcome,
  now: string,
): ObjectStatusBody {
  const existing = new Map((current?.conditions ?? []).map((c) => [c.type as string, c]));
  const ours = finalConditions(computed, outcome).map((c) => {
    const old = existing.get(c.type);
    return {
      ...c,
      lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now,
    };
  });
  const foreign = (current?.conditions ?? []).filter((c) => !OURS.has(c.type));
  const status: ObjectStatusBody = { ...(computed.extra ?? {}) };
  if (computed.ref.generation !== undefined) status.observedGeneration = computed.ref.generation;
  status.conditions = [...ours, ...foreign];
  return status;
}

function withoutTransitionTimes(status: ObjectStatusBody | undefined): ObjectStatusBody {
  if (!status) return {};
  return {
    ...status,
    conditions: (status.conditions ?? []).map(({ lastTransitionTime: _t, ...rest }) => rest as Condition),
  };
}

/**
 * True when writing `desired` would change something other than lastTransitionTime. Called for every object
 * on every reconcile, so it compares structurally instead of serialising.
 */
export function statusDiffers(current: ObjectStatusBody | undefined, desired: ObjectStatusBody): boolean {
  return !jsonEqual(withoutTransitionTimes(current), withoutTransitionTimes(desired));
}

/** Our observation is older than what is already written (stale cache): do not write. */
export function isStale(current: ObjectStatusBody | undefined, desired: ObjectStatusBody): boolean {
  const have = current?.observedGeneration;
  const want = desired.observedGeneration;
  return typeof have === 'number' && typeof want === 'number' && have > want;
}

/**
 * What to report as a Warning Event: the first False condition other than Programmed/Pending, or else the
 * compiler's warnings for an object that is served with a problem (a TLSContext host refused or not covered by
 * its certificate), joined into one Event so the recorder's one-fingerprint-per-object dedup holds.
 */
export function rejectionOf(computed: ObjectStatus): { reason: string; message: string } | undefined {
  const failed = computed.conditions.find((c) => c.status === 'False' && c.type !== 'Programmed');
  if (failed) return failed;
  const warnings = computed.warnings ?? [];
  if (warnings.length === 0) return undefined;
  return { reason: warnings[0].reason, message: warnings.map((w) => w.message).join('; ') };
}
