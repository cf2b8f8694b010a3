// The status a kubelet reports for a pod, from the state of its containers (pure).
import type { ContainerRun } from './container-run.js';

export interface Condition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  lastProbeTime: null;
  reason?: string;
  message?: string;
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Conditions keep their lastTransitionTime until their status changes (the Deployment's minReadySeconds counts from it). */
export class ConditionSet {
  private readonly byType = new Map<string, Condition>();

  set(type: string, ok: boolean, reason?: string, message?: string): void {
    const status = ok ? 'True' : 'False';
    const old = this.byType.get(type);
    this.byType.set(type, {
      type,
      status,
      lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now(),
      lastProbeTime: null,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    });
  }

  list(): Condition[] {
    return [...this.byType.values()];
  }
}

export function containerStatus(c: ContainerRun): Record<string, unknown> {
  return {
    name: c.spec.name,
    image: c.spec.image,
    imageID: `world://${c.spec.image}`,
    ...(c.containerID ? { containerID: c.containerID } : {}),
    ready: c.ready,
    started: c.started,
    restartCount: c.restartCount,
    state: c.state,
    lastState: c.lastState,
  };
}

export function unready(runs: ContainerRun[]): string[] {
  return runs.filter((c) => !c.ready).map((c) => c.spec.name);
}

export function podPhase(main: ContainerRun[], initialized: boolean, restartPolicy: string): string {
  if (!initialized) return 'Pending';
  const terminated = main.filter((c) => 'terminated' in c.state);
  if (restartPolicy !== 'Always' && terminated.length === main.length) {
    return terminated.every((c) => 'terminated' in c.state && c.state.terminated.exitCode === 0)
      ? 'Succeeded'
      : 'Failed';
  }
  return main.some((c) => 'running' in c.state || c.restartCount > 0) ? 'Running' : 'Pending';
}
