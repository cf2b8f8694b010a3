// One pod on the test world's node, from bind to delete, as the kubelet runs it: sandbox (network namespace and
// IP), volumes, init containers in order, then the containers with probes and restarts; on deletion preStop,
// SIGTERM, SIGKILL at the end of the grace period, and the final DELETE. Every change is reported in the pod's
// status (a strategic merge patch of /status, as the kubelet sends).
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WorldBinaries } from '../binaries.js';
import { podResolvConf } from '../dns.js';
import type { PodNetwork, PodSandbox } from '../network.js';
import type { KubeRest } from '../rest.js';
import { ContainerRun } from './container-run.js';
import { expandVars, resourceFieldValue } from './downward-api.js';
import { recordEvent } from './events.js';
import { resolveImage } from './images.js';
import { NODE_ALLOCATABLE } from './node.js';
import { ConditionSet, containerStatus, podPhase, unready } from './pod-status.js';
import type { ContainerSpec, EnvVar, Pod } from './pod-types.js';
import { MountError, mountVolumes } from './volumes.js';

export interface KubeletDeps {
  rest: KubeRest;
  network: PodNetwork;
  bin: WorldBinaries;
  /** Folder of programs put on the PATH of Envoy containers (`envoy`). */
  binDir: string;
  podsDir: string;
  nodeName: string;
  kubernetesService: { host: string; port: number };
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class PodWorker {
  private pod: Pod;
  private sandbox?: PodSandbox;
  private volumes?: Map<string, string>;
  private init: ContainerRun[] = [];
  private main: ContainerRun[] = [];
  private readonly conditions = new ConditionSet();
  private initialized = false;
  private terminating?: Promise<void>;
  private killed = false;
  private startTime = now();
  private writing = false;
  private dirty = false;
  private waitingReason: { reason: string; message?: string } = { reason: 'ContainerCreating' };
  private readonly seenEvents = new Set<string>();
  readonly dir: string;

  constructor(
    pod: Pod,
    private readonly deps: KubeletDeps,
  ) {
    this.pod = pod;
    this.dir = join(deps.podsDir, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
  }

  get name(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  containerNames(): string[] {
    return [...this.init, ...this.main].map((c) => c.spec.name);
  }

  /**
   * The pod's network namespace while it runs. Tests reach loopback-only ports (Envoy's admin) through it, as
   * `kubectl port-forward` would.
   */
  get netns(): string | undefined {
    return this.sandbox?.netns;
  }

  /** The log of a container's current (or `attempt`-th) run. */
  logPath(container: string, attempt?: number): string | undefined {
    const run = [...this.init, ...this.main].find((c) => c.spec.name === container);
    return run?.logPath(attempt);
  }

  update(pod: Pod): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp && !this.terminating) this.terminating = this.terminate();
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    const k = `${reason}\n${message}`;
    if (reason === 'FailedMount' && this.seenEvents.has(k)) return;
    this.seenEvents.add(k);
    void recordEvent(this.deps.rest, this.pod, this.deps.nodeName, type, reason, message);
  }

  private fieldValue(fieldPath: string): string {
    const m = this.pod.metadata;
    const values: Record<string, string | undefined> = {
      'metadata.name': m.name,
      'metadata.namespace': m.namespace,
      'metadata.uid': m.uid,
      'spec.nodeName': this.deps.nodeName,
      'spec.serviceAccountName': this.pod.spec.serviceAccountName,
      'status.podIP': this.sandbox?.ip,
      'status.hostIP': this.deps.network.gateway,
    };
    if (!(fieldPath in values)) throw new Error(`fieldRef ${fieldPath} is not supported in the test world`);
    return values[fieldPath] ?? '';
  }

  private async envFor(c: ContainerSpec, path: string[]): Promise<NodeJS.ProcessEnv> {
    const svc = this.deps.kubernetesService;
    const env: NodeJS.ProcessEnv = {
      PATH: [...path, process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(':'),
      HOSTNAME: this.pod.metadata.name,
      HOME: '/',
      KUBERNETES_SERVICE_HOST: svc.host,
      KUBERNETES_SERVICE_PORT: String(svc.port),
      KUBERNETES_SERVICE_PORT_HTTPS: String(svc.port),
      KUBERNETES_PORT: `tcp://${svc.host}:${svc.port}`,
    };
    for (const e of c.env ?? []) env[e.name] = await this.envValue(e, env, c);
    return env;
  }

  private async envValue(e: EnvVar, env: NodeJS.ProcessEnv, c: ContainerSpec): Promise<string> {
    if (e.value !== undefined) return expandVars(e.value, env);
    const from = e.valueFrom ?? {};
    if (from.fieldRef) return this.fieldValue(from.fieldRef.fieldPath);
    if (from.resourceFieldRef) {
      const ref = from.resourceFieldRef;
      const name = ref.containerName ?? c.name;
      const target = [...this.pod.spec.containers, ...(this.pod.spec.initContainers ?? [])].find(
        (x) => x.name === name,
      );
      if (!target) throw new MountError(`resourceFieldRef: container ${name} is not in the pod`);
      return resourceFieldValue(target.resources, ref.resource, ref.divisor, NODE_ALLOCATABLE);
    }
    const ns = this.pod.metadata.namespace;
    const ref = from.configMapKeyRef ?? from.secretKeyRef;
    if (ref) {
      const kind = from.configMapKeyRef ? 'configmaps' : 'secrets';
      const r = await this.deps.rest.request<{ data?: Record<string, string> }>(
        'GET',
        `/api/v1/namespaces/${ns}/${kind}/${ref.name}`,
      );
      const raw = r.status === 200 ? r.body.data?.[ref.key] : undefined;
      if (raw === undefined) {
        if (ref.optional) return '';
        throw new MountError(`couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}`);
      }
      return kind === 'secrets' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    }
    return '';
  }

  private async prepare(c: ContainerSpec): Promise<ContainerRun | { error: string; reason: string }> {
    const program = resolveImage(c.image, this.deps.bin, this.deps.binDir);
    if ('error' in program) return { error: program.error, reason: 'ErrImagePull' };
    const sc = { ...this.pod.spec.securityContext, ...c.securityContext };
    const uid = sc.runAsUser ?? 0;
    if (sc.runAsNonRoot && uid === 0) {
      return { error: 'container has runAsNonRoot and image will run as root', reason: 'CreateContainerConfigError' };
    }
    // Each pod has its own /dev/shm, as its own IPC namespace would give it (Envoys share none: their hot-restart
    // shared memory has one name per base id).
    const shm = { hostPath: join(this.dir, 'shm'), containerPath: '/dev/shm', readOnly: false };
    mkdirSync(shm.hostPath, { recursive: true, mode: 0o1777 });
    chmodSync(shm.hostPath, 0o1777);
    const imageFiles = program.files.map((f) => ({ ...f, readOnly: true }));
    const mounts = [
      shm,
      ...imageFiles,
      ...(c.volumeMounts ?? []).map((m) => {
        const hostDir = this.volumes!.get(m.name);
        if (!hostDir) throw new MountError(`volume "${m.name}" is not a volume of the pod`);
        return {
          hostPath: m.subPath ? join(hostDir, m.subPath) : hostDir,
          containerPath: m.mountPath,
          readOnly: m.readOnly ?? false,
        };
      }),
    ];
    return new ContainerRun(c, {
      podName: this.pod.metadata.name,
      podIp: this.sandbox!.ip,
      netns: this.sandbox!.netns,
      logDir: join(this.dir, 'logs'),
      uid,
      gid: sc.runAsGroup ?? uid,
      env: await this.envFor(c, program.path),
      mounts,
      program,
      onChange: () => this.writeStatus(),
      onEvent: (type, reason, message) => this.event(type, reason, message),
    });
  }

  /** Runs the pod until it is deleted. */
  async run(): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    this.sandbox = this.deps.network.createSandbox(
      podResolvConf(this.deps.network.gateway, this.pod.metadata.namespace!),
    );
    this.writeStatus();
    // Volumes: retried every 2 s while a source is missing, as the kubelet's volume manager does.
    while (!this.terminating && !this.killed) {
      try {
        this.volumes = await mountVolumes(this.deps.rest, this.pod, this.dir);
        break;
      } catch (err) {
        if (!(err instanceof MountError)) throw err;
        this.event('Warning', 'FailedMount', err.message);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    if (this.terminating || this.killed) return;
    const restartPolicy = this.pod.spec.restartPolicy ?? 'Always';

    for (const spec of this.pod.spec.initContainers ?? []) {
      const run = await this.prepareOrWait(spec);
      if (!run) return;
      this.init.push(run);
      for (;;) {
        const code = await run.runOnce();
        if (this.terminating || this.killed) return;
        if (code === 0) break;
        if (restartPolicy === 'Never') {
          this.writeStatus();
          return;
        }
        run.lastState = run.state;
        run.restartCount++;
        run.state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off restarting failed container=${spec.name} pod=${this.pod.metadata.name}`,
          },
        };
        this.event(
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${spec.name} in pod ${this.pod.metadata.name}`,
        );
        this.writeStatus();
        await new Promise((r) => setTimeout(r, Math.min(10_000 * 2 ** (run.restartCount - 1), 300_000)));
      }
    }
    this.initialized = true;
    for (const spec of this.pod.spec.containers) {
      const run = await this.prepareOrWait(spec);
      if (!run) return;
      this.main.push(run);
    }
    this.writeStatus();
    await Promise.all(this.main.map((c) => c.supervise(restartPolicy)));
    this.writeStatus();
  }

  /** A container whose image or config is wrong waits (ErrImagePull, CreateContainerConfigError) until deletion. */
  private async prepareOrWait(spec: ContainerSpec): Promise<ContainerRun | undefined> {
    for (;;) {
      if (this.terminating || this.killed) return undefined;
      const r = await this.prepare(spec).catch((err: Error) => ({
        error: err.message,
        reason: 'CreateContainerConfigError',
      }));
      if (r instanceof ContainerRun) return r;
      this.waitingReason = { reason: r.reason, message: r.error };
      this.event('Warning', r.reason === 'ErrImagePull' ? 'Failed' : r.reason, r.error);
      this.writeStatus();
      await new Promise((res) => setTimeout(res, 5000));
    }
  }

  private async terminate(): Promise<void> {
    const grace = this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
    const deadline = Date.now() + grace * 1000;
    await Promise.all([...this.init, ...this.main].map((c) => c.stop(deadline, true)));
    this.sandbox?.remove();
    this.writeStatus();
    await this.settled();
    if (this.killed) return;
    // The kubelet's final delete: grace 0, for exactly this pod (not a new one with the same name).
    const m = this.pod.metadata;
    await this.deps.rest
      .request('DELETE', `/api/v1/namespaces/${m.namespace}/pods/${m.name}`, {
        gracePeriodSeconds: 0,
        preconditions: { uid: m.uid },
      })
      .catch(() => {});
  }

  /** The pod object is gone (force-deleted, or the world stops): kill everything now. */
  kill(): void {
    this.killed = true;
    for (const c of [...this.init, ...this.main]) c.kill();
    this.sandbox?.remove();
  }

  private statusBody(): Record<string, unknown> {
    const restartPolicy = this.pod.spec.restartPolicy ?? 'Always';
    const specs = this.pod.spec.containers;
    const waiting = (name: string, image: string) => ({
      name,
      image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: this.waitingReason },
      lastState: {},
    });
    const initSpecs = this.pod.spec.initContainers ?? [];
    const initStatuses = initSpecs.map((s) => {
      const run = this.init.find((c) => c.spec.name === s.name);
      return run ? containerStatus(run) : waiting(s.name, s.image);
    });
    const mainStatuses = specs.map((s) => {
      const run = this.main.find((c) => c.spec.name === s.name);
      return run ? containerStatus(run) : waiting(s.name, s.image);
    });
    const notReady = this.main.length === specs.length ? unready(this.main) : specs.map((s) => s.name);
    const ready = notReady.length === 0 && !this.killed;
    this.conditions.set('PodReadyToStartContainers', !!this.volumes);
    this.conditions.set(
      'Initialized',
      this.initialized,
      this.initialized ? undefined : 'ContainersNotInitialized',
      this.initialized
        ? undefined
        : `containers with incomplete status: [${initSpecs
            .filter(
              (s) =>
                !this.init.some(
                  (c) => c.spec.name === s.name && 'terminated' in c.state && c.state.terminated.exitCode === 0,
                ),
            )
            .map((s) => s.name)
            .join(' ')}]`,
    );
    const why = ready ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
    this.conditions.set('ContainersReady', ready, ready ? undefined : 'ContainersNotReady', why);
    this.conditions.set('Ready', ready, ready ? undefined : 'ContainersNotReady', why);
    const ip = this.sandbox?.ip;
    return {
      phase: podPhase(this.main, this.initialized, restartPolicy),
      conditions: this.conditions.list(),
      hostIP: this.deps.network.gateway,
      hostIPs: [{ ip: this.deps.network.gateway }],
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      startTime: this.startTime,
      ...(initSpecs.length ? { initContainerStatuses: initStatuses } : {}),
      containerStatuses: mainStatuses,
    };
  }

  private writeStatus(): void {
    if (this.killed) return;
    if (this.writing) {
      this.dirty = true;
      return;
    }
    this.writing = true;
    const m = this.pod.metadata;
    void this.deps.rest
      .request(
        'PATCH',
        `/api/v1/namespaces/${m.namespace}/pods/${m.name}/status`,
        { status: this.statusBody() },
        'application/strategic-merge-patch+json',
      )
      .catch(() => {})
      .finally(() => {
        this.writing = false;
        if (this.dirty) {
          this.dirty = false;
          this.writeStatus();
        }
      });
  }

  private async settled(): Promise<void> {
    while (this.writing || this.dirty) await new Promise((r) => setTimeout(r, 20));
  }
}
