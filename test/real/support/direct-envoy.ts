// Real Envoy 1.40 started directly, not as a pod, for the edge settings that need a narrow look: in a network
// namespace of the real world's pod network (so its fixed ports never meet another run's, and the test reaches it at
// an RFC 1918 address, as a client behind a Service), on the config Portico renders for one Mapping, with an echo
// upstream beside it on the namespace's loopback, and with the Envoy Deployment's own arguments (--concurrency,
// --drain-time-s, the overload manager of --config-yaml). `overload` changes the overload manager for a test-only
// variant (e.g. a connection limit of 5 instead of 50,000); `bootstrap` changes the rendered config; an overloaded
// variant, which never turns ready, is waited for only until its admin says LIVE (`awaitReady: false`).
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { gatewayRequest } from '../../support/gateway-client.js';
import type { GatewayIR } from '../../../operator/compile/ir.js';
import { renderEnvoyConfig } from '../../../operator/envoy/index.js';
import { envoyArgs, mergedBootstrapPart } from '../../manifests/envoy-pod-args.js';
import { podResolvConf } from '../../world/dns.js';
import { REPO_ROOT } from '../../world/kubelet/images.js';
import type { PodSandbox } from '../../world/network.js';
import { startProcess, waitUntil, type WorldProcess } from '../../world/processes.js';
import type { World } from '../../world/world.js';
import { forwardRoute, gatewayIR } from '../../support/ir-builders.js';

const run = promisify(execFile);
const ECHO_PORT = 3000;
let started = 0;

export interface DirectEnvoy {
  /** The namespace's address: http://<ip>:8080 is the HTTP listener, :8002 readiness. */
  ip: string;
  netns: string;
  envoy: WorldProcess;
  /** The bootstrap file Envoy was started with (before --config-yaml is merged in). */
  bootstrap: Record<string, any>;
  /** An admin request from inside the namespace (the admin listens on 127.0.0.1:9901 only). */
  admin(path: string, method?: 'GET' | 'POST'): Promise<string>;
  /** A counter or gauge from /stats. */
  stat(name: string): Promise<number>;
  stop(): Promise<void>;
}

/** One host-less Mapping `/` → the echo upstream, as compile/ would produce it. */
export function echoGateway(): GatewayIR {
  return gatewayIR(
    [forwardRoute('edge/echo', '/', 'edge_echo_80')],
    [{ name: 'edge_echo_80', address: '127.0.0.1', port: ECHO_PORT, upstreamTls: false }],
  );
}

export async function startDirectEnvoy(
  world: World,
  opts: {
    overload?: (om: Record<string, any>) => void;
    bootstrap?: (b: Record<string, any>) => void;
    awaitReady?: boolean;
  } = {},
): Promise<DirectEnvoy> {
  const dir = join(world.runDir, `direct-envoy-${++started}`);
  mkdirSync(dir, { recursive: true });
  const bootstrap = JSON.parse(renderEnvoyConfig(echoGateway()).json);
  opts.bootstrap?.(bootstrap);
  writeFileSync(join(dir, 'envoy.json'), JSON.stringify(bootstrap));

  // The Deployment's args, with this file as the config and the overload manager possibly changed.
  const args = envoyArgs();
  const configYaml = mergedBootstrapPart(args);
  opts.overload?.(configYaml.overload_manager);
  args[args.indexOf('-c') + 1] = join(dir, 'envoy.json');
  args[args.indexOf('--config-yaml') + 1] = yaml.dump(configYaml);

  const sandbox: PodSandbox = world.network.createSandbox(podResolvConf(world.network.gateway, 'default'));
  const inNs = (argv: string[]) => ['ip', 'netns', 'exec', sandbox.netns, ...argv];
  const echo = startProcess(
    'direct-echo',
    inNs([process.execPath, '--import', 'tsx', join(REPO_ROOT, 'test/world/echo-server.ts')]),
    join(dir, 'echo.log'),
    {
      cwd: REPO_ROOT,
      env: { ...process.env, HTTP_PORT: String(ECHO_PORT), HOSTNAME: 'edge-echo' },
    },
  );
  const envoy = startProcess(
    'direct-envoy',
    inNs([world.bin.envoy, ...args, '--base-id', String(1000 + started)]),
    join(dir, 'envoy.log'),
  );

  const admin = async (path: string, method: 'GET' | 'POST' = 'GET'): Promise<string> =>
    (
      await run('ip', ['netns', 'exec', sandbox.netns, 'curl', '-sf', '-X', method, `http://127.0.0.1:9901${path}`], {
        maxBuffer: 64 * 1024 * 1024,
      })
    ).stdout;
  const stat = async (name: string): Promise<number> => {
    const line = (await admin(`/stats?filter=${encodeURIComponent(`^${name.replace(/\./g, '\\.')}$`)}`)).trim();
    const value = Number(/: (\d+)$/.exec(line)?.[1]);
    if (!Number.isFinite(value)) throw new Error(`no stat ${name} (got ${JSON.stringify(line)})`);
    return value;
  };
  const stop = async (): Promise<void> => {
    await Promise.all([envoy.stop(5000), echo.stop(5000)]);
    sandbox.remove();
  };
  try {
    if (opts.awaitReady === false) {
      await waitUntil(
        'direct Envoy live',
        async () => JSON.parse(await admin('/server_info')).state === 'LIVE',
        20_000,
        envoy,
      );
    } else {
      // One connection per request (no pool left holding one open, which a connection-limit test would count).
      await waitUntil(
        'direct Envoy ready',
        async () => (await gatewayRequest(`http://${sandbox.ip}:8002`, { path: '/ready' })).status === 200,
        20_000,
        envoy,
      );
      await waitUntil(
        'echo upstream',
        async () => (await gatewayRequest(`http://${sandbox.ip}:8080`)).status === 200,
        20_000,
        echo,
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { ip: sandbox.ip, netns: sandbox.netns, envoy, bootstrap, admin, stat, stop };
}
