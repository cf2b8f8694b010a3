// `portico dev`: an embedded Kubernetes API server on 127.0.0.1 with Portico's CRDs, the portico-system
// namespace and the Envoy Deployment object installed, and the operator running in-process, so you can try
// Portico with your own kubectl and no cluster. State persists in ./.portico/state.json (--no-persist: off).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { loadCrds, packageRoot } from '../api/crds.js';
import { startApiServer } from '../apiserver/index.js';
import { followPublishedConfig } from '../devgateway/config-follower.js';
import { DEFAULT_ENVOY_DEPLOYMENT, DEFAULT_NAMESPACE } from '../reconcile/publish-plan.js';
import { startDevGateway } from '../devgateway/dev-gateway.js';

const USAGE = `usage: portico dev [flags]

Starts an embedded Kubernetes API server and the Portico operator, for trying Portico locally.

flags:
  --port N            API server port on 127.0.0.1 (default 8001; 0 picks a free one)
  --examples          also apply examples/*.yaml
  --no-persist        keep state in memory only (default: ./.portico/state.json)
  --no-operator       do not run the operator in-process
  --operator-port N   the operator's HTTP port (/healthz, /metrics, /portico/v1/*; default 8877, 0 = any)
  --gateway-port N    the dev gateway's port on 127.0.0.1 (default 8080, 0 = any): it routes requests as the
                      published Envoy config says, standing in for Envoy
  --upstream S=URL    send traffic for Service S (name.namespace) to URL instead of echoing (repeatable),
                      e.g. --upstream usersvc.default=http://127.0.0.1:3000
  --no-gateway        do not run the dev gateway
  -h, --help          show this help
`;

interface DevFlags {
  port: number;
  examples: boolean;
  persist: boolean;
  operator: boolean;
  operatorPort: number;
  gateway: boolean;
  gatewayPort: number;
  upstreams: Map<string, URL>;
}

function parseFlags(argv: string[]): DevFlags | string {
  const flags: DevFlags = { port: 8001, examples: false, persist: true, operator: true, operatorPort: 8877, gateway: true, gatewayPort: 8080, upstreams: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => inline ?? argv[++i] ?? '';
    const port = (flag: string): number => {
      const v = value();
      const n = Number(v);
      if (!/^\d+$/.test(v) || n > 65535) throw new Error(`${flag}: "${v}" is not a port number (0-65535)`);
      return n;
    };
    switch (name) {
      case '--port': flags.port = port('--port'); break;
      case '--operator-port': flags.operatorPort = port('--operator-port'); break;
      case '--examples': flags.examples = true; break;
      case '--no-persist': flags.persist = false; break;
      case '--no-operator': flags.operator = false; break;
      case '--gateway-port': flags.gatewayPort = port('--gateway-port'); break;
      case '--no-gateway': flags.gateway = false; break;
      case '--upstream': {
        const [service, url] = splitUpstream(value());
        flags.upstreams.set(service, url);
        break;
      }
      case '-h': case '--help': return USAGE;
      default: throw new Error(`unknown flag "${a}"\n\n${USAGE}`);
    }
  }
  return flags;
}

function splitUpstream(v: string): [string, URL] {
  const i = v.indexOf('=');
  const service = v.slice(0, i);
  if (i < 0 || !/^[a-z0-9-]+\.[a-z0-9-]+$/.test(service)) throw new Error(`--upstream: "${v}" is not <service>.<namespace>=<url>`);
  try {
    return [service, new URL(v.slice(i + 1))];
  } catch {
    throw new Error(`--upstream: "${v.slice(i + 1)}" is not a URL`);
  }
}

function log(line: string): void {
  process.stderr.write(`portico dev: ${line}\n`);
}

function yamlDocs(file: string): k8s.KubernetesObject[] {
  return yaml.loadAll(readFileSync(file, 'utf8')).filter((d): d is k8s.KubernetesObject => !!d && typeof d === 'object' && 'kind' in (d as object));
}

/** Server-side applies each object (field manager portico-dev), logging and continuing past failures. */
async function applyAll(client: k8s.KubernetesObjectApi, objects: k8s.KubernetesObject[], source: string): Promise<number> {
  let failed = 0;
  for (const obj of objects) {
    const what = `${obj.kind}/${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name}`;
    try {
      await client.patch(obj, undefined, undefined, 'portico-dev', true, k8s.PatchStrategy.ServerSideApply);
    } catch (err: any) {
      failed++;
      const body = typeof err?.body === 'string' ? err.body : '';
      let message = err instanceof Error ? err.message : String(err);
      try {
        message = JSON.parse(body).message ?? message;
      } catch {
        // not a Status body
      }
      log(`could not apply ${what} from ${source}: ${message}`);
    }
  }
  return failed;
}

/** The dev gateway, fed by following the published config as an Envoy pod would. */
async function startGateway(kc: k8s.KubeConfig, flags: DevFlags): Promise<{ port: number; close(): Promise<void> }> {
  const gateway = await startDevGateway({ port: flags.gatewayPort, upstreams: flags.upstreams });
  const follower = followPublishedConfig({
    kubeConfig: kc,
    namespace: DEFAULT_NAMESPACE,
    deploymentName: DEFAULT_ENVOY_DEPLOYMENT,
    onConfig: ({ configMap, bootstrap }) => {
      gateway.setConfig(bootstrap);
      log(`gateway: serving ${configMap}`);
    },
    onError: (message) => log(`gateway: ${message}`),
  });
  log(`gateway (stands in for Envoy) on http://127.0.0.1:${gateway.port}`);
  return {
    port: gateway.port,
    async close() {
      follower.stop();
      await gateway.close();
    },
  };
}

function manifestObjects(root: string): k8s.KubernetesObject[] {
  const files = [join(root, 'manifests', 'base', 'namespace.yaml'), join(root, 'manifests', 'base', 'envoy', 'deployment.yaml'), join(root, 'manifests', 'base', 'envoy', 'service.yaml')];
  return files.filter(existsSync).flatMap(yamlDocs);
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
  const root = packageRoot();
  const stateDir = resolve('.portico');
  const kubeconfigPath = join(stateDir, 'kubeconfig');
  const server = await startApiServer({ host: '127.0.0.1', port: flags.port, statePath: flags.persist ? join(stateDir, 'state.json') : undefined });
  await server.writeKubeconfig(kubeconfigPath);
  log(`API server listening on ${server.url}${flags.persist ? ` (state in ${join(stateDir, 'state.json')})` : ' (in memory)'}`);

  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  await applyAll(client, loadCrds() as unknown as k8s.KubernetesObject[], 'crds/');
  const manifests = manifestObjects(root);
  if (!manifests.some((o) => o.kind === 'Namespace' && o.metadata?.name === DEFAULT_NAMESPACE)) {
    manifests.unshift({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: DEFAULT_NAMESPACE } });
  }
  await applyAll(client, manifests, 'manifests/');
  if (flags.examples) {
    const dir = join(root, 'examples');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
    const objects = files.flatMap((f) => yamlDocs(join(dir, f)).map((o) => ({ ...o, metadata: { namespace: 'default', ...o.metadata } })));
    const failed = await applyAll(client, objects, 'examples/');
    log(`applied ${objects.length - failed} objects from examples/`);
  }

  let operator: { stop(): Promise<void> } | undefined;
  if (flags.operator) {
    try {
      const mod = (await import('../reconcile/index.js')) as { startOperator?: (o: object) => Promise<{ stop(): Promise<void>; httpPort: number }> };
      if (typeof mod.startOperator !== 'function') throw new Error('operator/reconcile does not export startOperator');
      const running = await mod.startOperator({ kubeConfig: kc, httpPort: flags.operatorPort });
      operator = running;
      log(`operator running in-process (HTTP on 127.0.0.1:${running.httpPort})`);
    } catch (err) {
      log(`operator not started: ${(err as Error).message}`);
    }
  }

  const gateway = flags.gateway ? await startGateway(kc, flags) : undefined;

  process.stdout.write(`export KUBECONFIG=${kubeconfigPath}\n`);
  if (gateway) {
    log(`try: curl http://127.0.0.1:${gateway.port}/user/health   (with --examples; the gateway echoes what the Service would receive)`);
  }
  log('ready; press Ctrl-C to stop');

  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: shutting down`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      void (async () => {
        try {
          await operator?.stop();
        } catch (err) {
          log(`operator stop failed: ${(err as Error).message}`);
        }
        await gateway?.close();
        await server.close();
        done(0);
      })();
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}
