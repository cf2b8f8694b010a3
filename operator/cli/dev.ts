// `portico dev`: an embedded Kubernetes API server on 127.0.0.1 with Portico's CRDs, the portico-system
// namespace and the Envoy Deployment object installed, the operator running in-process, and a gateway, so you
// can try Portico with your own kubectl and no cluster. The gateway is real Envoy when there is a binary
// (--envoy PATH, envoy on PATH or test/world/setup's: operator/devenvoy/, following the Deployment as its pod
// would, HTTP and HTTPS), else the dev gateway standing in for it (operator/devgateway/, HTTP).
//
// Everything binds loopback. The state folder (./.portico: state, kubeconfig, lock, envoy/) is 0700 and locked
// to one process. The API server wants the random bearer token of this run, which only the 0600 kubeconfig
// holds. "ready" is printed once the gateway serves a config the operator published; any port in use is an error.
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { loadCrds } from '../api/crds.js';
import { apiErrorMessage } from '../kube/api-error.js';
import { packageRoot } from './package-root.js';
import {
  ensurePrivateDir,
  lockStateFolder,
  selfSignedCertificate,
  startApiServer,
  StateFolderLockedError,
  type ApiServer,
  type StateLock,
} from '../apiserver/index.js';
import { followPublishedConfig } from '../devgateway/config-follower.js';
import { DEFAULT_ENVOY_DEPLOYMENT, DEFAULT_OPERATOR_NAMESPACE } from '../publish/names.js';
import { startDevGateway, type DevGateway } from '../devgateway/dev-gateway.js';
import { chooseGateway, type GatewayChoice } from '../devenvoy/choose-envoy.js';
import { testWorldEnvoy } from '../devenvoy/test-world-envoy.js';
import { startDevEnvoy, type DevEnvoy } from '../devenvoy/dev-envoy.js';
import { freePorts, PortInUseError } from '../devenvoy/free-ports.js';
import { stopLeftoverEnvoys } from '../devenvoy/leftover-envoys.js';
import { startOperator, type RunningOperator } from '../operator.js';
import { parseFlags, type DevFlags } from './dev-flags.js';

const LOOPBACK = '127.0.0.1';
/** Records, inside the saved state, that --examples was applied (so it is applied on a first start only). */
const EXAMPLES_MARKER = 'portico-dev-examples';

function log(line: string): void {
  process.stderr.write(`portico dev: ${line}\n`);
}

/** A startup failure worth one clear line and a non-zero exit. */
class DevStartError extends Error {}

/** Binds with `start`, turning "address in use" into a line that names the port and the flag. */
async function bind<T>(what: string, port: number, flag: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new DevStartError(
        `${what}: ${LOOPBACK}:${port} is already in use; stop what listens there or choose another port with ${flag} (0 picks a free one)`,
      );
    }
    throw err;
  }
}

function yamlDocs(file: string): k8s.KubernetesObject[] {
  return yaml
    .loadAll(readFileSync(file, 'utf8'))
    .filter((d): d is k8s.KubernetesObject => !!d && typeof d === 'object' && 'kind' in (d as object));
}

/** Server-side applies each object (field manager portico-dev), logging and continuing past failures. */
async function applyAll(
  client: k8s.KubernetesObjectApi,
  objects: k8s.KubernetesObject[],
  source: string,
): Promise<number> {
  let failed = 0;
  for (const obj of objects) {
    const what = `${obj.kind}/${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name}`;
    try {
      await client.patch(obj, undefined, undefined, 'portico-dev', true, k8s.PatchStrategy.ServerSideApply);
    } catch (err) {
      failed++;
      log(`could not apply ${what} from ${source}: ${apiErrorMessage(err)}`);
    }
  }
  return failed;
}

function manifestObjects(root: string): k8s.KubernetesObject[] {
  const files = [
    join(root, 'manifests', 'base', 'namespace.yaml'),
    join(root, 'manifests', 'base', 'envoy', 'deployment.yaml'),
    join(root, 'manifests', 'base', 'envoy', 'service.yaml'),
  ];
  const objects = files.filter(existsSync).flatMap(yamlDocs);
  if (!objects.some((o) => o.kind === 'Namespace' && o.metadata?.name === DEFAULT_OPERATOR_NAMESPACE)) {
    objects.unshift({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: DEFAULT_OPERATOR_NAMESPACE } });
  }
  return objects;
}

/**
 * --examples on the first start of a state only: afterwards the objects are the user's, and re-applying them
 * would undo their edits and bring back what they deleted. The marker lives in the state itself, so a fresh
 * state (a new folder, --no-persist) gets the examples again.
 */
async function applyExamplesOnce(kc: k8s.KubeConfig, client: k8s.KubernetesObjectApi, root: string): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  try {
    const marker = await core.readNamespacedConfigMap({ name: EXAMPLES_MARKER, namespace: DEFAULT_OPERATOR_NAMESPACE });
    log(
      `examples/ were applied on ${marker.data?.appliedAt ?? 'an earlier start'}; not applying them again over your changes (a new state gets them: delete .portico or ConfigMap ${DEFAULT_OPERATOR_NAMESPACE}/${EXAMPLES_MARKER})`,
    );
    return;
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
  const dir = join(root, 'examples');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  const objects = files.flatMap((f) =>
    yamlDocs(join(dir, f)).map((o) => ({ ...o, metadata: { namespace: 'default', ...o.metadata } })),
  );
  const failed = await applyAll(client, objects, 'examples/');
  await core.createNamespacedConfigMap({
    namespace: DEFAULT_OPERATOR_NAMESPACE,
    body: {
      metadata: { name: EXAMPLES_MARKER },
      data: {
        appliedAt: new Date().toISOString(),
        note: 'portico dev --examples applies examples/ only while this ConfigMap does not exist',
      },
    },
  });
  log(`applied ${objects.length - failed} objects from examples/`);
}

interface Gateway {
  /** Resolves with the ConfigMap name once the gateway serves a published config. */
  firstConfig: Promise<string>;
  close(): Promise<void>;
}

/** The dev gateway, fed by following the published config as an Envoy pod would. */
function followIntoGateway(kc: k8s.KubeConfig, gateway: DevGateway): Gateway {
  let served: (name: string) => void = () => {};
  const firstConfig = new Promise<string>((r) => (served = r));
  const follower = followPublishedConfig({
    kubeConfig: kc,
    namespace: DEFAULT_OPERATOR_NAMESPACE,
    deploymentName: DEFAULT_ENVOY_DEPLOYMENT,
    onConfig: ({ configMap, bootstrap }) => {
      gateway.setConfig(bootstrap);
      log(`gateway: serving ${configMap}`);
      served(configMap);
    },
    onError: (message) => log(`gateway: ${message}`),
  });
  return {
    firstConfig,
    async close() {
      follower.stop();
      await gateway.close();
    },
  };
}

/** Real Envoy, fed with each config, its certificates and its container as the Deployment's pod would get them. */
function followIntoEnvoy(kc: k8s.KubeConfig, envoy: DevEnvoy): Gateway {
  const follower = followPublishedConfig({
    kubeConfig: kc,
    namespace: DEFAULT_OPERATOR_NAMESPACE,
    deploymentName: DEFAULT_ENVOY_DEPLOYMENT,
    certificates: true,
    onConfig: (config) => envoy.apply(config),
    onError: (message) => log(`envoy: ${message}`),
  });
  return {
    firstConfig: envoy.firstServed,
    async close() {
      follower.stop();
      await envoy.close();
    },
  };
}

/** The Lease identity of this state folder's operator: after a crash, the restarted one is recognised as the
 *  holder and leads at once instead of waiting out the dead one's Lease. Safe because the folder is locked. */
function operatorIdentity(stateDir: string): string {
  return `portico-dev-${createHash('sha256').update(stateDir).digest('hex').slice(0, 10)}`;
}

/**
 * With real Envoy, the operator checks each config with it before publishing, as the operator image does, and
 * /portico/v1/stats reads that Envoy's counters; with the dev gateway, what the gateway counted.
 */
async function startInProcessOperator(
  kc: k8s.KubeConfig,
  flags: DevFlags,
  stateDir: string,
  gateway: DevGateway | undefined,
  envoy: { path: string; adminPort: number } | undefined,
): Promise<RunningOperator> {
  const envoyCheck = envoy ? { envoyCheck: { envoyPath: envoy.path, mode: 'listeners' as const } } : {};
  const envoyStats = envoy
    ? {
        pods: () => [
          {
            key: 'portico-dev-envoy',
            name: 'envoy (portico dev)',
            statsUrl: `http://${LOOPBACK}:${envoy.adminPort}`,
            version: '',
          },
        ],
      }
    : gateway?.counters.source();
  return bind('operator HTTP', flags.operatorPort, '--operator-port', () =>
    startOperator({
      kubeConfig: kc,
      httpHost: LOOPBACK,
      httpPort: flags.operatorPort,
      identity: operatorIdentity(stateDir),
      envoyStats,
      ...envoyCheck,
    }),
  );
}

export async function run(argv: string[]): Promise<number> {
  let flags: DevFlags | string;
  try {
    flags = parseFlags(argv);
  } catch (err) {
    process.stderr.write(`portico dev: ${(err as Error).message}\n`);
    return 2;
  }
  if (typeof flags === 'string') {
    process.stdout.write(flags);
    return 0;
  }
  const stopping: Array<() => Promise<void> | void> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stopping.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        log(`stopping: ${(err as Error).message}`);
      }
    }
  };
  // Ctrl-C works while starting too (e.g. while waiting for the first config).
  let stopped = false;
  const onInt = (): void => stop('SIGINT');
  const onTerm = (): void => stop('SIGTERM');
  const unhook = (): void => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  let done: (code: number) => void = () => {};
  const signalled = new Promise<number>((r) => (done = r));
  function stop(signal: string): void {
    unhook();
    stopped = true;
    log(`${signal}: shutting down`);
    void stopAll().then(() => done(0));
  }
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    await Promise.race([start(flags, stopping), signalled]);
  } catch (err) {
    if (stopped) return signalled;
    unhook();
    await stopAll();
    if (err instanceof DevStartError || err instanceof StateFolderLockedError) {
      log(err.message);
      return 1;
    }
    throw err;
  }
  return signalled;
}

/** Which gateway, said in one line (and warnings), before anything binds. */
async function announceGateway(flags: DevFlags, root: string): Promise<GatewayChoice | undefined> {
  if (!flags.gateway) return undefined;
  let choice: GatewayChoice;
  try {
    choice = await chooseGateway(flags.envoy, flags.noEnvoy, { worldEnvoy: testWorldEnvoy(root) });
  } catch (err) {
    throw new DevStartError((err as Error).message);
  }
  if (choice.kind === 'dev-gateway') {
    log(`gateway: the dev gateway, standing in for Envoy (${choice.why})`);
  } else {
    const which = choice.version ? `Envoy ${choice.version}` : 'Envoy';
    log(
      `gateway: real ${which} (${choice.path}, ${choice.source}); it follows the ${DEFAULT_ENVOY_DEPLOYMENT} Deployment as a pod would, with a hot restart on each new config`,
    );
    for (const w of choice.warnings) log(`warning: ${w}`);
  }
  return choice;
}

/** The gateway ports, checked before the API server starts (a port in use is an error, as for the others). */
async function envoyPorts(flags: DevFlags): Promise<{ http: number; https: number; readiness: number; admin: number }> {
  const asked: Array<[string, string]> = [
    ['gateway', '--gateway-port'],
    ['HTTPS gateway', '--https-port'],
  ];
  try {
    const [http, https, readiness, admin] = await freePorts(LOOPBACK, [flags.gatewayPort, flags.httpsPort, 0, 0]);
    return { http, https, readiness, admin };
  } catch (err) {
    if (!(err instanceof PortInUseError) || !asked[err.index]) throw err;
    const [what, flag] = asked[err.index];
    throw new DevStartError(
      `${what}: ${LOOPBACK}:${err.port} is already in use; stop what listens there or choose another port with ${flag} (0 picks a free one)`,
    );
  }
}

async function start(flags: DevFlags, stopping: Array<() => Promise<void> | void>): Promise<void> {
  const root = packageRoot();
  const stateDir = resolve('.portico');
  ensurePrivateDir(stateDir);
  const lock: StateLock = lockStateFolder(stateDir);
  stopping.push(() => lock.release());

  const choice = await announceGateway(flags, root);
  const gateway =
    choice?.kind === 'dev-gateway'
      ? await bind('gateway', flags.gatewayPort, '--gateway-port', () =>
          startDevGateway({ host: LOOPBACK, port: flags.gatewayPort, upstreams: flags.upstreams }),
        )
      : undefined;
  if (gateway) stopping.push(() => gateway.close());
  const envoyDir = join(stateDir, 'envoy');
  let ports: Awaited<ReturnType<typeof envoyPorts>> | undefined;
  if (choice?.kind === 'envoy') {
    ensurePrivateDir(envoyDir);
    const leftover = await stopLeftoverEnvoys(envoyDir);
    if (leftover.length > 0)
      log(`envoy: stopped what an earlier portico dev of this folder left running (pid ${leftover.join(', ')})`);
    ports = await envoyPorts(flags);
  }

  const statePath = join(stateDir, 'state.json');
  const server: ApiServer = await bind('API server', flags.port, '--port', () =>
    startApiServer({
      host: LOOPBACK,
      port: flags.port,
      statePath: flags.persist ? statePath : undefined,
      token: randomBytes(32).toString('base64url'),
      tls: selfSignedCertificate(),
      crds: loadCrds() as unknown as object[],
      deploymentController: true,
    }),
  );
  stopping.push(() => server.close());
  const kubeconfigPath = join(stateDir, 'kubeconfig');
  await server.writeKubeconfig(kubeconfigPath);
  log(
    `API server listening on ${server.url}${flags.persist ? ` (state in ${statePath})` : ' (in memory)'}; it takes the token in ${kubeconfigPath}`,
  );

  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  await applyAll(client, manifestObjects(root), 'manifests/');
  if (flags.examples) await applyExamplesOnce(kc, client, root);

  if (flags.operator) {
    const envoy = choice?.kind === 'envoy' ? { path: choice.path, adminPort: ports!.admin } : undefined;
    const operator = await startInProcessOperator(kc, flags, stateDir, gateway, envoy);
    stopping.push(() => operator.stop());
    log(`operator running in-process (HTTP on http://${LOOPBACK}:${operator.httpPort})`);
  }
  process.stdout.write(`export KUBECONFIG=${kubeconfigPath}\n`);

  if (!choice) {
    log('ready (no gateway); press Ctrl-C to stop');
    return;
  }
  let followed: Gateway;
  if (gateway) {
    followed = followIntoGateway(kc, gateway);
    log(
      `gateway (stands in for Envoy) on http://${LOOPBACK}:${gateway.port}; waiting for the operator's first published config`,
    );
  } else {
    const envoy = await startDevEnvoy({
      envoyPath: (choice as Extract<GatewayChoice, { kind: 'envoy' }>).path,
      version: (choice as Extract<GatewayChoice, { kind: 'envoy' }>).version,
      dir: envoyDir,
      host: LOOPBACK,
      httpPort: ports!.http,
      httpsPort: ports!.https,
      readinessPort: ports!.readiness,
      adminPort: ports!.admin,
      upstreams: flags.upstreams,
      tls: selfSignedCertificate(),
      log,
    });
    followed = followIntoEnvoy(kc, envoy);
    log(
      `envoy on http://${LOOPBACK}:${envoy.httpPort} (HTTP) and https://${LOOPBACK}:${envoy.httpsPort} (HTTPS, once a TLSContext is programmed); ` +
        `admin http://${LOOPBACK}:${envoy.adminPort}, readiness http://${LOOPBACK}:${envoy.readinessPort}/ready; config, certificates and log in ${relative(process.cwd(), envoyDir) || envoyDir}; ` +
        "waiting for the operator's first published config",
    );
  }
  stopping.push(() => followed.close());
  await followed.firstConfig;
  if (flags.examples && gateway)
    log(
      `try: curl http://${LOOPBACK}:${gateway.port}/user/health   (the gateway echoes what the Service would receive)`,
    );
  if (flags.examples && ports) {
    log(
      `try: curl http://${LOOPBACK}:${ports.http}/user/health   (Envoy routes it; a local echo server answers for usersvc)`,
    );
    log(
      `try: curl -k --resolve example.local:${ports.https}:${LOOPBACK} https://example.local:${ports.https}/user/health   (HTTPS with the example certificate)`,
    );
  }
  log('ready; press Ctrl-C to stop');
}
