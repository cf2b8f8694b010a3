// A real Envoy serving a rendered config on this machine, for request-time behaviour. The config is changed in
// ports only (listeners, admin and cluster endpoints move to free ports; every address, name and setting is as
// rendered), and certificate paths point at a temp folder. Cluster names are resolved as in a pod: Envoy runs
// in its own mount namespace whose /etc/resolv.conf is a pod's (search domains, ndots:5) and names a DNS server
// on a loopback address that answers every name with 127.0.0.1 and records each query.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvoyConfig } from '../../../operator/envoy/index.js';
import {
  ADMIN_CLUSTER,
  ADMIN_PORT,
  HTTPS_PORT,
  HTTP_PORT,
  READINESS_PORT,
  STATS_PORT,
} from '../../../operator/envoy/constants.js';
import { materialiseConfig } from '../../../operator/envoy-check/materialise.js';
import { freePort } from '../../support/free-port.js';
import { podResolvConf, startDnsServer } from '../../world/dns.js';
import { envoyBinary } from './envoy-pool.js';

export interface Upstreams {
  /** Port of the plain HTTP upstream every cleartext cluster is sent to. */
  http: number;
  /** Port of the TLS upstream every `_tls` cluster is sent to. */
  tls: number;
  /** A port of its own for some clusters (by name), e.g. one upstream per Service. */
  portOf?: (cluster: string) => number | undefined;
}

export interface LocalEnvoy {
  ports: { http: number; https: number; admin: number };
  /** Every name Envoy asked the DNS server for, in order. */
  dnsQueries: string[];
  stop(): Promise<void>;
}

type Json = any;

export async function startLocalEnvoy(
  config: Pick<EnvoyConfig, 'json' | 'certFiles'>,
  upstreams: Upstreams,
): Promise<LocalEnvoy> {
  const ports = {
    http: await freePort(),
    https: await freePort(),
    ready: await freePort(),
    stats: await freePort(),
    admin: await freePort(),
  };
  const listenerPort: Record<number, number> = {
    [HTTP_PORT]: ports.http,
    [HTTPS_PORT]: ports.https,
    [READINESS_PORT]: ports.ready,
    [STATS_PORT]: ports.stats,
  };
  const b: Json = JSON.parse(config.json);
  b.admin.address.socket_address.port_value = ports.admin;
  for (const l of b.static_resources.listeners) {
    const port = listenerPort[l.address.socket_address.port_value];
    if (port === undefined)
      throw new Error(`listener ${l.name}: no free port stands in for ${l.address.socket_address.port_value}`);
    l.address.socket_address.port_value = port;
  }
  for (const c of b.static_resources.clusters)
    for (const e of c.load_assignment.endpoints)
      for (const lb of e.lb_endpoints)
        lb.endpoint.address.socket_address.port_value =
          c.name === ADMIN_CLUSTER
            ? ports.admin
            : (upstreams.portOf?.(c.name) ?? (/_tls(_[0-9a-f]{8})?$/.test(c.name) ? upstreams.tls : upstreams.http));
  if (b.admin.address.socket_address.port_value === ADMIN_PORT) throw new Error('admin port not moved');

  const dnsQueries: string[] = [];
  const dnsAddress = `127.53.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  const dns = await startDnsServer(dnsAddress, (name) => {
    dnsQueries.push(name);
    return { a: ['127.0.0.1'] };
  });
  const files = materialiseConfig(JSON.stringify(b), config.certFiles);
  const resolvConf = join(files.dir, 'resolv.conf');
  writeFileSync(resolvConf, podResolvConf(dnsAddress, 'portico-system'));
  const child: ChildProcess = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount --bind "$0" /etc/resolv.conf && exec "$@"',
      resolvConf,
      envoyBinary(),
      '-c',
      files.configPath,
      '--disable-hot-restart',
      '--concurrency',
      '1',
      '--log-level',
      'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    await dns.close();
    files.remove();
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${ports.admin}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`local Envoy did not start: ${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ports: { http: ports.http, https: ports.https, admin: ports.admin }, dnsQueries, stop };
}
