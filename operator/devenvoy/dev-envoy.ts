// `portico dev`'s gateway when there is an Envoy binary: real Envoy, following the `portico-envoy` Deployment as
// its pod would. Each config the Deployment points at (with its certificate Secrets and the Envoy container's
// command line) is made loadable here (local-bootstrap.ts: loopback listeners on the developer's ports, a free
// admin port, the certificate folder, clusters to --upstream or to local echo servers), checked by Envoy, and
// served by a hot restart (envoy-epochs.ts). Only cli/dev.ts uses this.
import { mkdirSync, chmodSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { traceInBootstrap } from '../envoy-check/index.js';
import { echoUpstreams } from './echo-upstreams.js';
import type { EnvoyContainer } from './envoy-command.js';
import { EnvoyEpochs } from './envoy-epochs.js';
import { localBootstrap, upstreamTargets } from './local-bootstrap.js';

export interface PublishedEnvoyConfig {
  configMap: string;
  bootstrap: object;
  certFiles?: Record<string, string>;
  envoyContainer?: EnvoyContainer;
}

export interface DevEnvoyOptions {
  envoyPath: string;
  /** `1.40.0`, for messages. */
  version?: string;
  /** The private folder (created 0700). */
  dir: string;
  host: string;
  /** Ports known to be free (free-ports.ts), after stopLeftoverEnvoys stopped what an earlier run left. */
  httpPort: number;
  httpsPort: number;
  readinessPort: number;
  adminPort: number;
  upstreams: ReadonlyMap<string, URL>;
  /** The certificate the HTTPS echo servers present. */
  tls: { cert: string; key: string };
  log(line: string): void;
}

export interface DevEnvoy {
  httpPort: number;
  httpsPort: number;
  readinessPort: number;
  adminPort: number;
  logPath: string;
  apply(config: PublishedEnvoyConfig): void;
  /** Resolves with the ConfigMap name once Envoy first serves a published config. */
  firstServed: Promise<string>;
  close(): Promise<void>;
}

const RESTART_BACKOFF_START_MS = 1_000;
const RESTART_BACKOFF_MAX_MS = 30_000;

export async function startDevEnvoy(opts: DevEnvoyOptions): Promise<DevEnvoy> {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  chmodSync(opts.dir, 0o700);
  const { readinessPort, adminPort } = opts;
  const echo = echoUpstreams({ host: opts.host, tls: opts.tls });
  const who = `Envoy ${opts.version ?? ''}`.trim();

  let pending: PublishedEnvoyConfig | undefined;
  let running = false;
  let closed = false;
  let serving: PublishedEnvoyConfig | undefined;
  let backoff = RESTART_BACKOFF_START_MS;
  let restartTimer: NodeJS.Timeout | undefined;
  const noted = new Set<string>();
  const note = (line: string) => {
    if (noted.has(line)) return;
    noted.add(line);
    opts.log(`envoy: ${line}`);
  };
  let served: (name: string) => void = () => {};
  const firstServed = new Promise<string>((r) => (served = r));

  const epochs = new EnvoyEpochs({
    envoyPath: opts.envoyPath,
    dir: opts.dir,
    host: opts.host,
    adminPort,
    readinessPort,
    node: { cpus: cpus().length || 1, memoryBytes: totalmem() },
    onLog: (line) => note(line),
    onExit: (message) => {
      if (closed) return;
      const again = serving;
      serving = undefined;
      opts.log(`envoy: ${message}${again ? `; starting it again on ${again.configMap} in ${backoff / 1000} s` : ''}`);
      if (!again) return;
      restartTimer = setTimeout(() => {
        if (!pending) apply(again);
      }, backoff);
      backoff = Math.min(backoff * 2, RESTART_BACKOFF_MAX_MS);
    },
  });

  const load = async (c: PublishedEnvoyConfig): Promise<void> => {
    const targets = upstreamTargets(c.bootstrap);
    const echoPorts = await echo.portsFor(targets.filter((t) => !opts.upstreams.has(t.service)));
    const outcome = await epochs.load({
      name: c.configMap,
      certFiles: c.certFiles ?? {},
      container: c.envoyContainer,
      bootstrap: (certsDir) => {
        const local = localBootstrap(c.bootstrap, {
          host: opts.host,
          httpPort: opts.httpPort,
          httpsPort: opts.httpsPort,
          readinessPort,
          adminPort,
          certsDir,
          upstreams: opts.upstreams,
          echoPorts,
        });
        for (const n of local.notes) note(n);
        return local.bootstrap;
      },
    });
    const still = (alive: boolean) =>
      alive && serving
        ? `; still serving ${serving.configMap}`
        : '; nothing is served until a config Envoy accepts is published';
    switch (outcome.kind) {
      case 'serving': {
        serving = c;
        backoff = RESTART_BACKOFF_START_MS;
        opts.log(`envoy: serving ${c.configMap} (${outcome.how}, epoch ${outcome.epoch}, ready in ${outcome.ms} ms)`);
        served(c.configMap);
        return;
      }
      case 'rejected': {
        const objects = traceInBootstrap(outcome.message, c.bootstrap).map((o) => `${o.kind} ${o.namespace}/${o.name}`);
        opts.log(
          `envoy: ${who} refuses ${c.configMap}${objects.length > 0 ? ` (${objects.join(', ')})` : ''}: ${outcome.message}${still(true)}`,
        );
        return;
      }
      case 'failed': {
        const objects = traceInBootstrap(outcome.message, c.bootstrap).map((o) => `${o.kind} ${o.namespace}/${o.name}`);
        opts.log(
          `envoy: cannot serve ${c.configMap}${objects.length > 0 ? ` (${objects.join(', ')})` : ''}: ${outcome.message}${still(outcome.serving)}`,
        );
        if (!outcome.serving) serving = undefined;
      }
    }
  };

  const drain = async (): Promise<void> => {
    running = true;
    try {
      while (pending && !closed) {
        const next = pending;
        pending = undefined;
        try {
          await load(next);
        } catch (err) {
          opts.log(`envoy: cannot serve ${next.configMap}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } finally {
      running = false;
    }
  };

  function apply(config: PublishedEnvoyConfig): void {
    if (closed) return;
    if (restartTimer) clearTimeout(restartTimer);
    pending = config;
    if (!running) void drain();
  }

  return {
    httpPort: opts.httpPort,
    httpsPort: opts.httpsPort,
    readinessPort,
    adminPort,
    logPath: epochs.logPath,
    apply,
    firstServed,
    async close() {
      closed = true;
      if (restartTimer) clearTimeout(restartTimer);
      // Stopping first ends a load in progress at once (its process is gone); then nothing new is started.
      await epochs.stop();
      while (running) await new Promise((r) => setTimeout(r, 20));
      await epochs.stop();
      await echo.close();
    },
  };
}
