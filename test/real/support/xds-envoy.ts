// Real Envoy 1.40 fed over xDS: started directly in a network namespace of the real world's pod network (cluster
// DNS in its resolv.conf, so the STRICT_DNS clusters it is served resolve Services as in a pod), on the small ADS
// bootstrap of `xds` delivery (operator/xds/envoy-bootstrap.ts) pointed at an operator on the host (the pod
// network's gateway address), with the Envoy Deployment's own arguments.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { xdsEnvoyBootstrap, type XdsBootstrapOptions } from '../../../operator/xds/envoy-bootstrap.js';
import { envoyArgs } from '../../manifests/envoy-pod-args.js';
import { podResolvConf } from '../../world/dns.js';
import type { PodSandbox } from '../../world/network.js';
import { startProcess, waitUntil, type WorldProcess } from '../../world/processes.js';
import type { World } from '../../world/world.js';

const run = promisify(execFile);
let started = 0;

export interface XdsEnvoy {
  ip: string;
  netns: string;
  envoy: WorldProcess;
  sandbox: PodSandbox;
  admin(path: string, method?: 'GET' | 'POST'): Promise<string>;
  stat(name: string): Promise<number>;
  stop(): Promise<void>;
}

/** `tls` paths are host paths; `nodeId` names this Envoy on the stream. */
export async function startXdsEnvoy(
  world: World,
  xds: Omit<XdsBootstrapOptions, 'nodeId'> & { nodeId: string },
  sandbox?: PodSandbox,
): Promise<XdsEnvoy> {
  const dir = join(world.runDir, `xds-envoy-${process.pid}-${++started}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'envoy.json'), JSON.stringify(xdsEnvoyBootstrap(xds)));
  const args = envoyArgs();
  args[args.indexOf('-c') + 1] = join(dir, 'envoy.json');
  const box = sandbox ?? world.network.createSandbox(podResolvConf(world.network.gateway, 'default'));
  const envoy = startProcess(
    `xds-envoy-${started}`,
    [
      'ip',
      'netns',
      'exec',
      box.netns,
      world.bin.envoy,
      ...args,
      '--base-id',
      String(2000 + started + (process.pid % 1000) * 10),
    ],
    join(dir, 'envoy.log'),
  );
  const admin = async (path: string, method: 'GET' | 'POST' = 'GET'): Promise<string> =>
    (
      await run('ip', ['netns', 'exec', box.netns, 'curl', '-sf', '-X', method, `http://127.0.0.1:9901${path}`], {
        maxBuffer: 256 * 1024 * 1024,
      })
    ).stdout;
  const stat = async (name: string): Promise<number> => {
    const line = (await admin(`/stats?filter=${encodeURIComponent(`^${name.replace(/\./g, '\\.')}$`)}`)).trim();
    const value = Number(/: (\d+)$/.exec(line)?.[1]);
    if (!Number.isFinite(value)) throw new Error(`no stat ${name} (got ${JSON.stringify(line)})`);
    return value;
  };
  const stop = async () => {
    await envoy.stop(5000);
    if (!sandbox) box.remove();
  };
  try {
    await waitUntil(
      'xDS Envoy live',
      async () => JSON.parse(await admin('/server_info')).state !== undefined,
      20_000,
      envoy,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { ip: box.ip, netns: box.netns, envoy, sandbox: box, admin, stat, stop };
}
