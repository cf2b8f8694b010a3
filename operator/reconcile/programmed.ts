// Programmed means Envoy serves it (pure). Given the newest config (the one holding every object as it is now
// written), the state of the Envoy Deployment's rollout and what each object amounts to in every config that
// Envoy pods serve, decide each object's Programmed condition:
// - True once the rollout of the newest config has completed, or earlier for an object that every Ready Envoy
//   pod already serves as written (unchanged between the configs they run, so a change to one object does not
//   send every other object back to Pending);
// - Pending while the rollout progresses, saying how far it is;
// - False with the pod's reason (CrashLoopBackOff, ErrImagePull, …) or ProgressDeadlineExceeded when it does not
//   progress; the Deployment keeps the last good config serving, and the message says which;
// - False/RolledBack when someone pointed the Deployment at an older config (`kubectl rollout undo`) that does
//   not serve the object as written.
import type { PublishOutcome } from './status.js';
import type { RolloutView } from './rollout-progress.js';
import type { ObjectFingerprints } from './served-objects.js';
import { configMapName } from '../publish/names.js';

export interface RolledBack {
  /** The config the Deployment points at now. */
  hash: string;
  /** The field managers that set it (e.g. "kubectl"). */
  by: string;
}

export interface ProgrammedInputs {
  /** The newest config: what the operator published (or would publish) for the objects as they are now. */
  latest: string;
  rollout: RolloutView;
  /** Set when the operator leaves the Deployment at an older config someone else chose. */
  rolledBack?: RolledBack;
  /** Fingerprints of a config, when known (the latest always is). */
  fingerprints: (hash: string) => ObjectFingerprints | undefined;
}

export const RolloutReasons = { Pending: 'Pending', RolledBack: 'RolledBack' } as const;

const PROGRAMMED: PublishOutcome = { kind: 'programmed' };

/** A function from `Kind/namespace/name` to that object's Programmed outcome. */
export function programmedOutcomes(inputs: ProgrammedInputs): (key: string) => PublishOutcome {
  const { latest, rollout, rolledBack } = inputs;
  if (rollout.phase === 'missing') {
    const message = `Deployment ${rollout.deployment} not found: configuration ${configMapName(latest)} is published but no Envoy picks it up`;
    const outcome: PublishOutcome = { kind: 'not-programmed', reason: RolloutReasons.Pending, message };
    return () => outcome;
  }
  if (rollout.phase === 'complete' && rollout.hash === latest) return () => PROGRAMMED;

  const latestPrints = inputs.fingerprints(latest);
  // What each Ready pod serves; a completed rollout means every pod serves the Deployment's config.
  const serving =
    rollout.phase === 'complete' && rollout.hash
      ? [{ hash: rollout.hash, pods: Math.max(1, rollout.available) }]
      : rollout.servingKnown
        ? rollout.serving
        : [];
  const servingPrints = serving.map((s) => ({
    pods: s.pods,
    prints: s.hash ? inputs.fingerprints(s.hash) : new Map<string, string>(),
  }));
  const readyPods = serving.reduce((n, s) => n + s.pods, 0);
  const podsServing = (key: string, fp: string | undefined): number =>
    fp === undefined ? 0 : servingPrints.reduce((n, s) => n + (s.prints?.get(key) === fp ? s.pods : 0), 0);

  // The config the Deployment points at must serve the object as written too, or its pods will stop serving it.
  const target = rollout.hash;
  const targetPrints = target !== undefined && target !== latest ? inputs.fingerprints(target) : undefined;
  const shared = new Map<string, PublishOutcome>();
  const once = (reason: string, message: string): PublishOutcome => {
    const k = `${reason}\n${message}`;
    let o = shared.get(k);
    if (!o) shared.set(k, (o = { kind: 'not-programmed', reason, message }));
    return o;
  };

  return (key) => {
    const fp = latestPrints?.get(key);
    const there = target === latest ? fp : targetPrints?.get(key);
    const targetServes = fp !== undefined && there === fp;
    const served = podsServing(key, fp);
    if (targetServes && readyPods > 0 && served === readyPods) return PROGRAMMED;

    if (!targetServes) {
      if (rolledBack) {
        const what =
          targetPrints === undefined
            ? 'whose content cannot be read back'
            : there === undefined
              ? 'which does not contain this object'
              : 'which serves an earlier version of this object';
        return once(
          RolloutReasons.RolledBack,
          `The Envoy Deployment ${rollout.deployment} was rolled back (by ${rolledBack.by}) to configuration ${rolledBack.hash}, ${what}: it is not served as written. ` +
            `Portico leaves the Deployment there until the next change, then rolls out the newest configuration (${latest})`,
        );
      }
      if (target !== latest) {
        return once(
          RolloutReasons.Pending,
          `configuration ${latest} is published; waiting for the Envoy Deployment ${rollout.deployment} to point at it (it points at ${rollout.hashLabel ?? 'none'})`,
        );
      }
    }

    if (rollout.phase === 'failed') return once(rollout.failure?.reason ?? 'RolloutFailed', rollout.message);
    const meanwhile =
      served > 0 ? `; ${served} of ${readyPods} Ready Envoy pods already serve this object as written` : '';
    return once(RolloutReasons.Pending, `${rollout.message}${meanwhile}`);
  };
}
