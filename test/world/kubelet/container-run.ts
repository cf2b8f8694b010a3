// One container of a pod: its process, its probes, its restarts with the kubelet's back-off (10 s doubling to
// 5 min), its preStop hook and its termination (SIGTERM, SIGKILL at the end of the grace period). It keeps the
// state the kubelet reports in containerStatuses.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type WorldProcess } from '../processes.js';
import { expandVars } from './downward-api.js';
import type { ImageProgram } from './images.js';
import type { ContainerSpec, ContainerState, LifecycleHandler } from './pod-types.js';
import { execWithDeadline, resolvePort, runProbe, type Probe } from './probes.js';
import { sandboxArgv, type BindMount } from './sandbox-exec.js';

export interface ContainerContext {
  podName: string;
  podIp: string;
  netns: string;
  logDir: string;
  uid: number;
  gid: number;
  env: NodeJS.ProcessEnv;
  mounts: BindMount[];
  program: ImageProgram;
  onChange(): void;
  onEvent(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class ContainerRun {
  state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  lastState: ContainerState | Record<string, never> = {};
  restartCount = 0;
  ready = false;
  started = false;
  containerID?: string;
  private proc?: WorldProcess;
  private stopping = false;
  private wake?: () => void;

  constructor(
    readonly spec: ContainerSpec,
    private readonly ctx: ContainerContext,
  ) {}

  private argv(): string[] {
    const p = this.ctx.program;
    const command = this.spec.command ?? p.entrypoint;
    const args = this.spec.args ?? (this.spec.command ? [] : p.cmd);
    // $(VAR) in the pod spec's command and args, from the container's environment (not in the image's own).
    const expand = (a: string[], fromSpec: boolean) => (fromSpec ? a.map((x) => expandVars(x, this.ctx.env)) : a);
    return [...expand(command, !!this.spec.command), ...expand(args, !!this.spec.args)];
  }

  private wrapped(argv: string[]): string[] {
    return sandboxArgv({
      netns: this.ctx.netns,
      mounts: this.ctx.mounts,
      readOnlyRoot: this.spec.securityContext?.readOnlyRootFilesystem ?? false,
      uid: this.ctx.uid,
      gid: this.ctx.gid,
      workingDir: this.spec.workingDir ?? this.ctx.program.workingDir ?? '/',
      argv,
    });
  }

  /** The log of run `attempt` (default: the newest run that has a log, as `kubectl logs` shows). */
  logPath(attempt?: number): string {
    const path = (n: number) => join(this.ctx.logDir, `${this.spec.name}.${n}.log`);
    if (attempt !== undefined) return path(attempt);
    return existsSync(path(this.restartCount)) || this.restartCount === 0
      ? path(this.restartCount)
      : path(this.restartCount - 1);
  }

  /** Sleeps up to `ms`, or until stop() is called. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /** Runs the container once to completion (init containers); resolves with its exit code. */
  async runOnce(): Promise<number | string> {
    mkdirSync(this.ctx.logDir, { recursive: true });
    const startedAt = now();
    this.proc = startProcess(
      `${this.ctx.podName}/${this.spec.name}`,
      this.wrapped(this.argv()),
      this.logPath(this.restartCount),
      { env: this.ctx.env },
    );
    this.containerID = `world://${this.proc.child.pid}`;
    this.state = { running: { startedAt } };
    this.started = true;
    this.ctx.onChange();
    const code = await this.proc.exited;
    this.started = false;
    this.ready = false;
    const exitCode = typeof code === 'number' ? code : 128 + (code === 'SIGKILL' ? 9 : 15);
    const message =
      exitCode !== 0 && this.spec.terminationMessagePolicy === 'FallbackToLogsOnError'
        ? this.proc.logTail(2048)
        : undefined;
    this.state = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        ...(message ? { message } : {}),
        startedAt,
        finishedAt: now(),
        containerID: this.containerID,
      },
    };
    this.ctx.onChange();
    return exitCode;
  }

  /** Keeps the container running (restartPolicy Always) until stop(); probes run while it is up. */
  async supervise(restartPolicy: string): Promise<void> {
    let backoff = BACKOFF_START_MS;
    while (!this.stopping) {
      const probes = this.startProbes();
      const startedAt = Date.now();
      const exitCode = await this.runOnce();
      probes.stop();
      if (this.stopping) return;
      if (restartPolicy === 'Never' || (restartPolicy === 'OnFailure' && exitCode === 0)) return;
      if (Date.now() - startedAt > 10 * 60_000) backoff = BACKOFF_START_MS;
      this.lastState = this.state;
      this.restartCount++;
      const message = `back-off ${Math.round(backoff / 1000)}s restarting failed container=${this.spec.name} pod=${this.ctx.podName}`;
      this.state = { waiting: { reason: 'CrashLoopBackOff', message } };
      this.ctx.onEvent(
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${this.spec.name} in pod ${this.ctx.podName}`,
      );
      this.ctx.onChange();
      await this.pause(backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
  }

  private startProbes(): { stop(): void } {
    let stopped = false;
    const timers: NodeJS.Timeout[] = [];
    const probeLoop = (probe: Probe, kind: string, onResult: (ok: boolean, message: string) => void): void => {
      let successes = 0;
      let failures = 0;
      const tick = async (): Promise<void> => {
        if (stopped) return;
        const r = await runProbe(probe, this.ctx.podIp, this.spec.ports, (command) => ({
          argv: this.wrapped(command),
          env: this.ctx.env,
        }));
        if (stopped) return;
        if (r.ok) {
          failures = 0;
          if (++successes >= (probe.successThreshold ?? 1)) onResult(true, '');
        } else {
          successes = 0;
          if (++failures >= (probe.failureThreshold ?? 3)) onResult(false, r.message);
          if (kind !== 'Startup' || failures >= (probe.failureThreshold ?? 3)) {
            this.ctx.onEvent('Warning', 'Unhealthy', `${kind} probe failed: ${r.message}`);
          }
        }
        timers.push(setTimeout(tick, (probe.periodSeconds ?? 10) * 1000));
      };
      timers.push(setTimeout(tick, (probe.initialDelaySeconds ?? 0) * 1000));
    };
    const { readinessProbe, livenessProbe } = this.spec;
    if (readinessProbe) {
      probeLoop(readinessProbe, 'Readiness', (ok) => {
        if (this.ready !== ok) {
          this.ready = ok;
          this.ctx.onChange();
        }
      });
    } else {
      // No readiness probe: ready as soon as it runs.
      queueMicrotask(() => {
        if (!stopped) {
          this.ready = true;
          this.ctx.onChange();
        }
      });
    }
    if (livenessProbe) {
      probeLoop(livenessProbe, 'Liveness', (ok) => {
        if (!ok && !this.stopping) {
          this.ctx.onEvent('Normal', 'Killing', `Container ${this.spec.name} failed liveness probe, will be restarted`);
          void this.proc?.stop(30_000);
        }
      });
    }
    return {
      stop() {
        stopped = true;
        for (const t of timers) clearTimeout(t);
      },
    };
  }

  private async runHook(hook: LifecycleHandler, deadlineMs: number): Promise<void> {
    const left = Math.max(0, deadlineMs - Date.now());
    if (hook.sleep) {
      await new Promise((r) => setTimeout(r, Math.min(left, hook.sleep!.seconds * 1000)));
    } else if (hook.exec) {
      const r = await execWithDeadline(this.wrapped(hook.exec.command), left, this.ctx.env);
      if (r.code !== 0) {
        this.ctx.onEvent('Warning', 'FailedPreStopHook', `PreStopHook failed: exit ${r.code}: ${r.output.slice(-500)}`);
      }
    } else if (hook.httpGet) {
      const port = resolvePort(hook.httpGet.port, this.spec.ports);
      await runProbe(
        { httpGet: { ...hook.httpGet, port }, timeoutSeconds: Math.ceil(left / 1000) },
        this.ctx.podIp,
        this.spec.ports,
        () => ({ argv: [], env: {} }),
      );
    }
  }

  /** Runs preStop (if the container is up), then SIGTERM, and SIGKILL at `deadlineMs`. */
  async stop(deadlineMs: number, runPreStop: boolean): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const proc = this.proc;
    if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    if (runPreStop && this.spec.lifecycle?.preStop) await this.runHook(this.spec.lifecycle.preStop, deadlineMs);
    this.ctx.onEvent('Normal', 'Killing', `Stopping container ${this.spec.name}`);
    await proc.stop(Math.max(0, deadlineMs - Date.now()));
  }

  kill(): void {
    this.stopping = true;
    this.wake?.();
    this.proc?.child.kill('SIGKILL');
  }
}
