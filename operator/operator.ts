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
import { Publisher, type Delivery } from './reconcile/publisher.js';
import { AdsServer } from './xds/ads-server.js';
import { PublishedFeed } from './xds/published-feed.js';
import { XDS_PORT } from './xds/envoy-bootstrap.js';
import { insecureXdsCredentials, providedXdsCredentials } from './xds/credentials.js';
import { ChannelPki, xdsServerNames, type ChannelLifetimes } from './xds/channel-pki.js';
import { DEFAULT_ENVOY_DEPLOYMENT, DEFAULT_OPERATOR_NAMESPACE } from './publish/names.js';
import { Reconciler, type LatestRun } from './reconcile/reconciler.js';
import { ServedConfigs } from './reconcile/served-configs.js';
import type { ValidationIssue } from './envoy-validate/index.js';
import { resolveCompileOptions, type CompileOptions } from './compile/options.js';
import { EnvoyConfigCheck, type EnvoyCheckOptions } from './envoy-check/operator-check.js';
import { ServiceEndpoints } from './kube/service-endpoints.js';
import { StatsCollector, type EnvoyStatsSource } from './stats/stats-collector.js';
import { registerStatsMetrics } from './stats/stats-metrics.js';
import { servedStatsObjects, type ServedStatsObjects } from './stats/served-objects.js';
import { envoyStatsTargets } from './stats/envoy-pod-targets.js';

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
  /** How often the Envoy pods' stats are read without being asked (default 10 s; docs/statistics.md). */
  statsIntervalMs?: number;
  /** Where the statistics come from (default: the Envoy Deployment's pods); `portico dev` passes its own. */
  envoyStats?: EnvoyStatsSource;
  /** How Envoy gets each config: `rollout` (default) rolls the Deployment; `xds` streams it over ADS. */
  delivery?: Delivery;
  /** `xds` delivery: where the ADS server listens (0.0.0.0:18000 by default; port 0 picks a free one). */
  xdsHost?: string;
  xdsPort?: number;
  /** `xds` delivery: plaintext instead of mutual TLS (a loopback test, a dev machine). */
  xdsInsecure?: boolean;
  /** `xds` delivery: the names the serving certificate is for (default: the operator Service's DNS names). */
  xdsServerNames?: string[];
  /** `xds` delivery: certificate lifetimes (tests shorten them to see a rotation). */
  xdsCertLifetimes?: Partial<ChannelLifetimes>;
}

export interface RunningOperator {
  httpPort: number;
  /** `xds` delivery: the ADS server's port. */
  xdsPort?: number;
  identity: string;
  isLeader(): boolean;
  /** Stops reconciling, releases the Lease (unless releaseLease is false), closes watches and the HTTP server. */
  stop(opts?: { releaseLease?: boolean }): Promise<void>;
}

export async function startOperator(opts: OperatorOptions): Promise<RunningOperator> {
  const namespace = opts.namespace ?? DEFAULT_OPERATOR_NAMESPACE;
  const deploymentName = opts.deploymentName ?? DEFAULT_ENVOY_DEPLOYMENT;
  const identity = opts.identity ?? `${os.hostname()}_${randomBytes(4).toString('hex')}`;
  const log = createLogger({
    level: opts.logLevel ?? 'info',
    defaultMeta: { component: 'operator', identity },
    stream: opts.logStream,
  });
  const metrics = createMetrics({ defaultMetrics: true });
  const kc = opts.kubeConfig;

  let elector: LeaderElector | undefined;
  const isLeader = () => elector?.isLeader() ?? false;
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const writer = new ClusterWriter(
    kc,
    {
      mayWrite: isLeader,
      beforeWrite: opts.beforeWrite,
      onWrite: (resource, verb) => metrics.writes.inc({ resource, verb }),
    },
    requestTimeoutMs,
  );
  const delivery = opts.delivery ?? 'rollout';
  let feed: PublishedFeed | undefined;
  const publisher = new Publisher(writer, namespace, deploymentName, log, delivery, (config) =>
    feed?.servePublished(config),
  );
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
  const envoyCheck =
    opts.envoyCheck && opts.envoyCheck.mode !== 'off' ? new EnvoyConfigCheck(opts.envoyCheck) : undefined;
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
  // `xds` delivery: every replica serves what the leader published, read back through the pointer ConfigMap.
  let ads: AdsServer | undefined;
  let pki: ChannelPki | undefined;
  if (delivery === 'xds') {
    if (!opts.xdsInsecure) {
      pki = new ChannelPki({
        writer,
        namespace,
        serverNames: opts.xdsServerNames ?? xdsServerNames(namespace),
        isLeader,
        log,
        lifetimes: opts.xdsCertLifetimes,
      });
    }
    const credentials = pki ? providedXdsCredentials(pki.certificates) : insecureXdsCredentials();
    ads = new AdsServer({
      host: opts.xdsHost ?? '0.0.0.0',
      port: opts.xdsPort ?? XDS_PORT,
      credentials: credentials.server(),
      log,
      onChange: () => debouncer?.trigger(),
    });
    const server = ads;
    feed = new PublishedFeed({
      kubeConfig: kc,
      namespace,
      writer,
      timings,
      log,
      onSnapshot: (snapshot) => server.setSnapshot(snapshot),
      onRestart: (resource) => metrics.informerRestarts.inc({ resource }),
    });
  }
  const xdsView = ads && feed && { served: () => feed!.served, connected: () => ads!.connected() };
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
    xds: xdsView,
  });
  const running = reconciler;
  debouncer = new Debouncer({
    holdoffMs: opts.holdoffMs ?? 100,
    maxHoldoffMs: opts.maxHoldoffMs ?? 500,
    run: (t) => running.run(t),
  });

  elector = new LeaderElector({
    identity,
    store: kubeLeaseStore(
      kc,
      namespace,
      opts.leaseName ?? 'portico-leader',
      Math.min(requestTimeoutMs, opts.renewDeadlineMs ?? DEFAULT_LEADER_TIMING.renewDeadlineMs),
    ),
    log,
    leaseDurationMs: opts.leaseDurationMs ?? DEFAULT_LEADER_TIMING.leaseDurationMs,
    renewDeadlineMs: opts.renewDeadlineMs ?? DEFAULT_LEADER_TIMING.renewDeadlineMs,
    retryPeriodMs: opts.retryPeriodMs ?? DEFAULT_LEADER_TIMING.retryPeriodMs,
    onStartedLeading: () => {
      metrics.leader.set(1);
      publisher.reset();
      debouncer?.trigger();
      void pki
        ?.poke()
        .catch((err) =>
          log.warn('xDS channel certificates: check failed; retrying', { error: (err as Error).message }),
        );
    },
    onStoppedLeading: () => {
      metrics.leader.set(0);
      publisher.reset();
      feed?.forgetOwnPointers();
    },
  });

  const state = running.state;
  // Statistics: read from every Envoy pod the rollout cache sees; members of ClusterIP Services from EndpointSlices.
  const endpoints = new ServiceEndpoints(kc, log, timings, (resource) => metrics.informerRestarts.inc({ resource }));
  let served: { of: LatestRun; objects: ServedStatsObjects } | undefined;
  const servedObjects = (): ServedStatsObjects | undefined => {
    const latest = state.latest;
    if (!latest) return undefined;
    if (served?.of !== latest) served = { of: latest, objects: servedStatsObjects(latest.ir) };
    return served.objects;
  };
  const stats = new StatsCollector({
    ...(opts.envoyStats ?? { pods: () => envoyStatsTargets(rollout.facts().pods) }),
    served: servedObjects,
    endpointCounts: (service) =>
      servedObjects()?.clusterIpServices.has(service) ? endpoints.counts(service) : undefined,
    intervalMs: opts.statsIntervalMs,
    onError: (pod, error) => log.debug('could not read an Envoy pod’s stats', { pod, error }),
  });
  registerStatsMetrics(metrics.registry, () => stats.report());
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
          if (state.rolledBack)
            detail.push(
              `the Deployment was rolled back (by ${state.rolledBack.by}) to configuration ${state.rolledBack.hash}; left there until the next change`,
            );
        } else {
          detail.push(`follower; leader: ${elector?.observedHolder || 'none yet'}`);
        }
        if (state.invalidIssues)
          detail.push(
            `latest generated config is invalid (${state.invalidIssues.length} issue(s)); serving the last good one`,
          );
        if (feed)
          detail.push(
            feed.served
              ? `xDS: serving configuration ${feed.served}`
              : `xDS: no published config loaded yet${feed.target ? ` (loading ${feed.target})` : ''}`,
          );
        if (state.rollout) detail.push(`envoy: ${state.rollout.message}`);
        if (state.lastError) detail.push(`last reconcile error: ${state.lastError}`);
        return { ready, detail };
      },
      config: () => state.lastGood && { ...state.lastGood, published: state.published },
      mappings: () => mappingRowsOf(state.latest),
      stats: () => stats.report(),
    },
  });

  pki?.start();
  const xdsPort = ads ? await ads.start() : undefined;
  feed?.start();
  cache.start();
  rollout.start();
  endpoints.start();
  stats.start();
  elector.start();
  const resync = setInterval(inputsChanged, opts.resyncMs ?? 60_000);
  resync.unref();
  log.info('operator started', {
    namespace,
    deploymentName,
    delivery,
    xdsPort,
    httpPort: http.port,
    compile: resolveCompileOptions(opts.compile),
    envoyCheck: envoyCheck
      ? { envoy: opts.envoyCheck!.envoyPath, mode: envoyCheck.mode }
      : 'off (no Envoy binary: Envoy proto check only)',
  });

  let stopping: Promise<void> | undefined;
  return {
    httpPort: http.port,
    xdsPort,
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
        stats.stop();
        await endpoints.stop();
        pki?.stop();
        await feed?.stop();
        await ads?.stop();
        await http.close();
        log.info('operator stopped');
      })()),
  };
}
