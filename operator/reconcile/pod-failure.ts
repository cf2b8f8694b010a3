// Why an Envoy pod of a rollout is not coming up, from its status alone (pure): a container waiting for a
// reason other than starting (CrashLoopBackOff, ErrImagePull, ImagePullBackOff, CreateContainerConfigError, …),
// a container that keeps failing between back-offs, an init container that failed, a pod the scheduler cannot
// place, or a pod the kubelet gave up on. A pod that is merely slow (pulling, creating, initialising) is not a
// failure: that is what the Deployment's progress deadline is for.
import type { ContainerStatusFacts, PodFacts } from '../kube/rollout-facts.js';

export interface PodFailure {
  /** A CamelCase reason fit for a condition: the kubelet's own where it has one. */
  reason: string;
  /** What the pod says, naming it and the container; one line. */
  message: string;
}

/** Waiting reasons of a container that is still on its way up. */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);
const MAX_DETAIL = 400;

function oneLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return undefined;
  return line.length > MAX_DETAIL ? `…${line.slice(line.length - MAX_DETAIL)}` : line;
}

/** "it last exited with code 1 (Error): <termination message>", from lastState (or state) terminated. */
function lastExit(cs: ContainerStatusFacts): string | undefined {
  const t = cs.lastState?.terminated ?? cs.state?.terminated;
  if (!t) return undefined;
  const how =
    t.exitCode !== undefined
      ? `exited with code ${t.exitCode}`
      : t.signal !== undefined
        ? `was killed by signal ${t.signal}`
        : 'ended';
  const why = t.reason ? ` (${t.reason})` : '';
  const said = oneLine(t.message);
  return `it last ${how}${why}${said ? `: ${said}` : ''}`;
}

function containerFailure(podId: string, cs: ContainerStatusFacts, init: boolean): PodFailure | undefined {
  const what = `${init ? 'init container' : 'container'} ${cs.name ?? '?'}`;
  const restarts = cs.restartCount ?? 0;
  const describe = (reason: string, detail?: string): PodFailure => {
    const exit = restarts > 0 || cs.state?.terminated ? lastExit(cs) : undefined;
    const parts = [`Envoy pod ${podId}: ${what} is ${reason}${detail ? ` (${oneLine(detail)})` : ''}`];
    if (restarts > 0) parts.push(`restarted ${restarts} time${restarts === 1 ? '' : 's'}`);
    if (exit) parts.push(exit);
    return { reason, message: parts.join('; ') };
  };
  const waiting = cs.state?.waiting;
  if (waiting?.reason && !STARTING.has(waiting.reason)) return describe(waiting.reason, waiting.message);
  const terminated = cs.state?.terminated;
  if (terminated) {
    if (terminated.exitCode === 0) return undefined; // an init container that completed
    return describe(init ? 'InitContainerFailed' : 'ContainerFailed');
  }
  // Running again after a failed run, and not Ready: between two crashes of a crash loop.
  const last = cs.lastState?.terminated;
  if (!init && restarts > 0 && !cs.ready && last && last.exitCode !== 0) return describe('CrashLoopBackOff');
  return undefined;
}

export function podFailure(pod: PodFacts): PodFailure | undefined {
  const m = pod.metadata ?? {};
  const podId = `${m.namespace ?? ''}/${m.name ?? ''}`;
  const s = pod.status ?? {};
  if (s.phase === 'Failed') {
    const reason = s.reason || 'PodFailed';
    return { reason, message: `Envoy pod ${podId} failed${s.message ? `: ${oneLine(s.message)}` : ''}` };
  }
  const unschedulable = (s.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable) {
    const reason = unschedulable.reason || 'Unschedulable';
    return {
      reason,
      message: `Envoy pod ${podId} cannot be scheduled${unschedulable.message ? `: ${oneLine(unschedulable.message)}` : ''}`,
    };
  }
  for (const cs of s.initContainerStatuses ?? []) {
    const f = containerFailure(podId, cs, true);
    if (f) return f;
  }
  for (const cs of s.containerStatuses ?? []) {
    const f = containerFailure(podId, cs, false);
    if (f) return f;
  }
  return undefined;
}
