// The operator's composition root. startOperator wires the caches (the compiler's inputs; the Envoy rollout),
// the debounced reconciler, leader election, and the HTTP server; `portico run` and `portico dev` both call it.
// Only the command line imports this file (.dependency-cruiser.cjs).
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterCache } from './kube/cluster-cache.js';
import { DEFAULT_INFORMER_TIMINGS } from './kube/informer-timings.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './kube/api-clients.js';
import type { WatchTimeouts } from './kube/timed-watch.js';
import type { BackoffPolicy } from './kube/backoff.js';
import { ClusterWriter } from './kube/cluster-writer.js';
import { EnvoyRolloutCache } from './kube/envoy-rollout-cache.js';
import { LeaderElector, DEFAULT_LEADER_TIMING } from './kube/leader-election.js';
import { kubeLeaseStore } from './kube/lease-store.js';
import { createLogger } from './log/logger.js';
import { createMetrics } from './metrics/operator-metrics.js';
import { mappingRows, type MappingRow } from './server/diagnostics.js';
import { startHttpServer } from './server/http-server.js';
import { porticoVersion } from './server/version.js';
import { Debouncer } from './reconcile/debounce.js';
import { EventRecorder } from './reconcile/events.js';
import { Publisher } from './reconcile/publisher.js';
import { DEFAULT_ENVOY_DEPLOYMENT, DEFAULT_OPERATOR_NAMESPACE } from './publish/names.js';
import { Reconciler, type LatestRun } from './reconcile/reconciler.js';
import { ServedConfigs } from './reconcile/served-configs.js';
import type { ValidationIssue } from './envoy-validate/index.js';
import { resolveCompileOptions, type CompileOptions } from './compile/options.js';
import { EnvoyConfigCheck, type EnvoyCheckOptions } from './envoy-check/operator-check.js';

export interface OperatorOptions {
  kubeConfig: KubeConfig;
  /** Where the Envoy Deployment lives, configs are published and the Lease is held. */
  namespace?: string;
  deploymentName?: string;
  holdoffMs?: number;
  maxHoldoffMs?: number;
  httpHost?: string;
  /** 8877 by default; 0 picks a free port. */
  httpPort?: number;
  /** Lease holder identity (default: hostname + random suffix). */
  identity?: string;
  leaseName?: string;
  logLevel?: string;
  /** Leader election timing (client-go defaults 15 s / 10 s / 2 s); tests use short ones. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /**
   * Reconcile (and compile) this often even without events (default 60 s): recovers from anything a missed event
   * left behind, and re-checks certificate validity. Identical config means no writes, so it is cheap. (A
   * Deployment someone edits is watched and corrected at once.)
   */
  resyncMs?: number;
  /** Replaces the Envoy proto validation (validateEnvoyBootstrap); for tests that need a config rejected. */
  validateConfig?: (bootstrap: unknown) => ValidationIssue[];
  /** Where log lines go (default stdout). */
  logStream?: NodeJS.WritableStream;
  /** Deadline of every API request (default 30 s; Lease requests are also bounded by renewDeadline). */
  requestTimeoutMs?: number;
  /** Watch deadlines: headers, silence, server-side timeout (defaults 30 s / 150 s / 300–600 s). */
  watchTimeouts?: Partial<WatchTimeouts>;
  /** Restart back-off of failed informers (default 200 ms doubling to 5 s, +20 % jitter). */
  informerBackoff?: BackoffPolicy;
  /**
   * Test seam: called before every write this instance sends (resource e.g. "configmap", "deployment",
   * "mappings/status"; verb e.g. "apply"). Throwing aborts the rest of that reconcile, as a crash would.
   */
  beforeWrite?: (resource: string, verb: string) => void;
  /** Compiler policy: host ownership, ExternalName Services, cluster domain (docs/security.md); safe defaults. */
  compile?: Partial<CompileOptions>;
  /** Load each config into real Envoy before publishing it (operator/envoy-check/operator-check.ts). */
  envoyCheck?: EnvoyCheckOptions;
}

export interface RunningOperator {
  httpPort: number;
  identity: string;
  isLeader(): boolean;
  /** Stops reconciling, releases the Lease (unless releaseLease is false), closes watches and the HTTP server. */
  stop(opts?: { releaseLease?: boolean }): Promise<void>;
}

export async function startOperator(opts: OperatorOptions): Promise<RunningOperator> {
  const namespace = opts.namespace ?? DEFAULT_OPERATOR_NAMESPACE;
  const deploymentName = opts.deploymentName ?? DEFAULT_ENVOY_DEPLOYMENT;
  const identity = opts.identity ?? `${os.hostname()}_${randomBytes(4).toString('hex')}`;
  const log = createLogger({ level: opts.logLevel ?? 'info', defaultMeta: { component: 'operator', identity }, stream: opts.logStream });
  const metrics = createMetrics({ defaultMetrics: true });
  const kc = opts.kubeConfig;

  let elector: LeaderElector | undefined;
  const isLeader = () => elector?.isLeader() ?? false;
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const writer = new ClusterWriter(
    kc,
    { mayWrite: isLeader, beforeWrite: opts.beforeWrite, onWrite: (resource, verb) => metrics.writes.inc({ resource, verb }) },
    requestTimeoutMs,
  );
  const publisher = new Publisher(writer, namespace, deploymentName, log);
  const events = new EventRecorder(writer, identity, log);

  let debouncer: Debouncer | undefined;
  // At most one pending retry, the earliest asked for: repeated failures must not pile up timers.
  let retryTimer: NodeJS.Timeout | undefined;
  let retryAt = Infinity;
  let stopped = false;
  const retryLater = (ms: number) => {
    if (stopped) return;
    const at = Date.now() + ms;
    if (retryTimer && retryAt <= at) return;
    clearTimeout(retryTimer);
    retryAt = at;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      retryAt = Infinity;
      debouncer?.trigger();
    }, ms);
  };
  const envoyCheck = opts.envoyCheck && opts.envoyCheck.mode !== 'off' ? new EnvoyConfigCheck(opts.envoyCheck) : undefined;
  const timings = {
    requestTimeoutMs,
    watch: { ...DEFAULT_INFORMER_TIMINGS.watch, ...opts.watchTimeouts },
    backoff: opts.informerBackoff ?? DEFAULT_INFORMER_TIMINGS.backoff,
  };
  let reconciler: Reconciler | undefined;
  const inputsChanged = () => {
    reconciler?.invalidate();
    debouncer?.trigger();
  };
  const cache = new ClusterCache(
    kc,
    {
      onRelevantChange: inputsChanged,
      onInformerRestart: (resource) => metrics.informerRestarts.inc({ resource }),
    },
    log,
    timings,
  );
  // Rollout progress re-judges Programmed without compiling again.
  const rollout = new EnvoyRolloutCache(
    kc,
    namespace,
    deploymentName,
    { onChange: () => debouncer?.trigger(), onRestart: (resource) => metrics.informerRestarts.inc({ resource }) },
    log,
    timings,
  );
  reconciler = new Reconciler({
    cache,
    publisher,
    writer,
    events,
    metrics,
    log,
    isLeader,
    isElected: () => elector?.elected ?? false,
    namespace,
    deploymentName,
    validate: opts.validateConfig,
    envoyCheck: envoyCheck && ((config, ir) => envoyCheck.check(config, ir)),
    retryLater,
    compileOptions: opts.compile,
    rollout,
    served: new ServedConfigs(writer, namespace, log),
  });
  const running = reconciler;
  debouncer = new Debouncer({ holdoffMs: opts.holdoffMs ?? 100, maxHoldoffMs: opts.maxHoldoffMs ?? 500, run: (t) => running.run(t) });

  elector = new LeaderElector({
    identity,
    store: kubeLeaseStore(kc, namespace, opts.leaseName ?? 'portico-leader', Math.min(requestTimeoutMs, opts.renewDeadlineMs ?? DEFAULT_LEADER_TIMING.renewDeadlineMs)),
    log,
    leaseDurationMs: opts.leaseDurationMs ?? DEFAULT_LEADER_TIMING.leaseDurationMs,
    renewDeadlineMs: opts.renewDeadlineMs ?? DEFAULT_LEADER_TIMING.renewDeadlineMs,
    retryPeriodMs: opts.retryPeriodMs ?? DEFAULT_LEADER_TIMING.retryPeriodMs,
    onStartedLeading: () => {
      metrics.leader.set(1);
      publisher.reset();
      debouncer?.trigger();
    },
    onStoppedLeading: () => {
      metrics.leader.set(0);
      publisher.reset();
    },
  });

  const state = running.state;
  // The /portico/v1/mappings rows, built on request (not on every reconcile), once per run.
  let rows: { of: LatestRun; rows: MappingRow[] } | undefined;
  const mappingRowsOf = (latest: LatestRun | undefined): MappingRow[] => {
    if (!latest) return [];
    if (rows?.of !== latest) rows = { of: latest, rows: mappingRows(latest.ir, latest.statuses, latest.mappings) };
    return rows.rows;
  };
  const http = await startHttpServer({
    host: opts.httpHost,
    port: opts.httpPort ?? 8877,
    registry: metrics.registry,
    log,
    view: {
      version: porticoVersion(),
      readiness: () => {
        const detail = [...cache.syncDetail(), rollout.syncDetail()];
        let ready = cache.synced;
        if (isLeader()) {
          detail.push(`leader: this instance (${identity})`);
          if (state.deploymentMissing) detail.push(`Deployment ${namespace}/${deploymentName} not found`);
          if (!state.published) ready = false;
          detail.push(state.published ? `config ${state.lastGood?.hash} published` : 'config not published yet');
          if (state.rolledBack) detail.push(`the Deployment was rolled back (by ${state.rolledBack.by}) to configuration ${state.rolledBack.hash}; left there until the next change`);
        } else {
          detail.push(`follower; leader: ${elector?.observedHolder || 'none yet'}`);
        }
        if (state.invalidIssues) detail.push(`latest generated config is invalid (${state.invalidIssues.length} issue(s)); serving the last good one`);
        if (state.rollout) detail.push(`envoy: ${state.rollout.message}`);
        if (state.lastError) detail.push(`last reconcile error: ${state.lastError}`);
        return { ready, detail };
      },
      config: () => state.lastGood && { ...state.lastGood, published: state.published },
      mappings: () => mappingRowsOf(state.latest),
    },
  });

  cache.start();
  rollout.start();
  elector.start();
  const resync = setInterval(inputsChanged, opts.resyncMs ?? 60_000);
  resync.unref();
  log.info('operator started', {
    namespace,
    deploymentName,
    httpPort: http.port,
    compile: resolveCompileOptions(opts.compile),
    envoyCheck: envoyCheck ? { envoy: opts.envoyCheck!.envoyPath, mode: envoyCheck.mode } : 'off (no Envoy binary: Envoy proto check only)',
  });

  let stopping: Promise<void> | undefined;
  return {
    httpPort: http.port,
    identity,
    isLeader,
    stop: (stopOpts) =>
      (stopping ??= (async () => {
        clearInterval(resync);
        stopped = true;
        clearTimeout(retryTimer);
        await debouncer!.stop();
        await elector!.stop(stopOpts?.releaseLease ?? true);
        await cache.stop();
        await rollout.stop();
        await http.close();
        log.info('operator stopped');
      })()),
  };
}
