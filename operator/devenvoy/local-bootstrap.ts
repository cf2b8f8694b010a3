// The published bootstrap made loadable on a laptop, as `portico dev` gives it to real Envoy (pure). A pod runs
// the published config as it is; on a laptop four things cannot stay as they are, and only these change:
//  - listeners: 0.0.0.0 becomes 127.0.0.1 (portico dev binds loopback only), and the contract's ports become the
//    developer's: HTTP 8080 → the gateway port, HTTPS 8443 → --https-port, readiness 8002 → a free port (a pod
//    has its own network namespace, a laptop does not). A listener on any other port keeps its port, except the
//    stats listener (8003), which is left out: dev reads Envoy's counters from its loopback admin instead, and a
//    fixed port would collide between two dev runs;
//  - admin: 127.0.0.1:9901 → a free loopback port, and so does every cluster that points at the admin address
//    (the readiness listener proxies /ready to it);
//  - certificate paths: /etc/portico/certs/<file> (where the pod mounts the certificate Secrets) → the private
//    folder the files are written to;
//  - cluster addresses: `<svc>.<ns>.svc.cluster.local` does not resolve here. A Service mapped with
//    `--upstream svc.ns=URL` goes to that URL's host and port; every other cluster goes to a local echo server
//    (one port per upstream, so the echo can say which Service it stands for).
// Everything else (routes, filters, TLS settings, timeouts, cluster names and types, SNI) is the published config.
import {
  ADMIN_ADDRESS,
  ADMIN_PORT,
  CERTS_DIR,
  HTTPS_PORT,
  HTTP_PORT,
  READINESS_PORT,
  STATS_PORT,
} from '../envoy/constants.js';

type Json = Record<string, any>;

/** One upstream a cluster of the published config points at. */
export interface UpstreamTarget {
  cluster: string;
  /** `https` when Envoy originates TLS to it (the cluster has a transport socket). */
  scheme: 'http' | 'https';
  address: string;
  port: number;
  /** `http://usersvc.default.svc.cluster.local:80`: how the dev gateway's echo names it, and the echo's key. */
  key: string;
  /** `usersvc.default` for an in-cluster Service name (what --upstream is keyed by), else the address. */
  service: string;
}

export interface LocalAddresses {
  /** The address every listener and the admin bind (127.0.0.1). */
  host: string;
  httpPort: number;
  httpsPort: number;
  readinessPort: number;
  adminPort: number;
  /** Where the certificate files are written (absolute). */
  certsDir: string;
}

export interface LocalBootstrapOptions extends LocalAddresses {
  /** `svc.ns` → a real local server (`--upstream`). */
  upstreams: ReadonlyMap<string, URL>;
  /** UpstreamTarget.key → the loopback port of the echo server standing in for it. */
  echoPorts: ReadonlyMap<string, number>;
}

export interface LocalBootstrap {
  bootstrap: Json;
  /** Where each listener went, e.g. "http 0.0.0.0:8080 → 127.0.0.1:18080". */
  listeners: string[];
  /** Things the developer should know about this config on this machine (an --upstream Envoy cannot honour fully). */
  notes: string[];
}

const SERVICE_SUFFIX = /\.svc\.cluster\.local\.?$/;

function socketAddressesOf(cluster: Json): Json[] {
  return ((cluster.load_assignment?.endpoints ?? []) as Json[])
    .flatMap((e) => (e.lb_endpoints ?? []) as Json[])
    .map((e) => e.endpoint?.address?.socket_address)
    .filter((a): a is Json => !!a);
}

function adminAddress(bootstrap: Json): { address: string; port: number } {
  const a = bootstrap.admin?.address?.socket_address;
  return { address: a?.address ?? ADMIN_ADDRESS, port: a?.port_value ?? ADMIN_PORT };
}

const isAdmin = (a: Json, admin: { address: string; port: number }): boolean =>
  a.address === admin.address && a.port_value === admin.port;

/** The upstreams of the published config's clusters (not the admin cluster), one per cluster endpoint. */
export function upstreamTargets(bootstrap: object): UpstreamTarget[] {
  const b = bootstrap as Json;
  const admin = adminAddress(b);
  const out: UpstreamTarget[] = [];
  for (const cluster of (b.static_resources?.clusters ?? []) as Json[]) {
    const scheme = cluster.transport_socket ? 'https' : 'http';
    for (const a of socketAddressesOf(cluster)) {
      if (isAdmin(a, admin)) continue;
      const address = String(a.address);
      const port = Number(a.port_value);
      const service = SERVICE_SUFFIX.test(address) ? address.replace(SERVICE_SUFFIX, '') : address;
      out.push({
        cluster: String(cluster.name),
        scheme,
        address,
        port,
        key: `${scheme}://${address}:${port}`,
        service,
      });
    }
  }
  return out;
}

/** Every DataSource `filename` under CERTS_DIR, anywhere in the config, moved to `certsDir`. */
function moveCertificatePaths(node: unknown, certsDir: string): void {
  if (Array.isArray(node)) {
    for (const x of node) moveCertificatePaths(x, certsDir);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'filename' && typeof v === 'string' && v.startsWith(`${CERTS_DIR}/`))
      o[k] = `${certsDir}/${v.slice(CERTS_DIR.length + 1)}`;
    else moveCertificatePaths(v, certsDir);
  }
}

function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

export function localBootstrap(published: object, opts: LocalBootstrapOptions): LocalBootstrap {
  const b = structuredClone(published) as Json;
  const admin = adminAddress(b);
  const listeners: string[] = [];
  const notes: string[] = [];

  const portFor: Record<number, number> = {
    [HTTP_PORT]: opts.httpPort,
    [HTTPS_PORT]: opts.httpsPort,
    [READINESS_PORT]: opts.readinessPort,
  };
  if (b.static_resources?.listeners) {
    b.static_resources.listeners = (b.static_resources.listeners as Json[]).filter(
      (l) => l.address?.socket_address?.port_value !== STATS_PORT,
    );
  }
  for (const l of (b.static_resources?.listeners ?? []) as Json[]) {
    const a = l.address?.socket_address;
    if (!a) continue;
    const from = `${a.address}:${a.port_value}`;
    a.address = opts.host;
    a.port_value = portFor[a.port_value] ?? a.port_value;
    listeners.push(`${l.name} ${from} → ${a.address}:${a.port_value}`);
  }

  if (b.admin?.address?.socket_address)
    b.admin.address.socket_address = {
      ...b.admin.address.socket_address,
      address: opts.host,
      port_value: opts.adminPort,
    };

  for (const cluster of (b.static_resources?.clusters ?? []) as Json[]) {
    const scheme = cluster.transport_socket ? 'https' : 'http';
    for (const a of socketAddressesOf(cluster)) {
      if (isAdmin(a, admin)) {
        a.address = opts.host;
        a.port_value = opts.adminPort;
        continue;
      }
      const address = String(a.address);
      const service = SERVICE_SUFFIX.test(address) ? address.replace(SERVICE_SUFFIX, '') : address;
      const real = opts.upstreams.get(service);
      if (real) {
        a.address = real.hostname.replace(/^\[(.*)\]$/, '$1');
        a.port_value = urlPort(real);
        if (real.pathname !== '/' && real.pathname !== '')
          notes.push(
            `--upstream ${service}=${real.href}: Envoy sends the routed path as it is; the URL's path ${real.pathname} is not prepended (the dev gateway prepends it)`,
          );
        if ((real.protocol === 'https:') !== (scheme === 'https')) {
          notes.push(
            `--upstream ${service}=${real.href}: cluster ${cluster.name} speaks ${scheme === 'https' ? 'TLS' : 'plain HTTP'} to it (as its Mapping's service says), not ${real.protocol.replace(':', '')}`,
          );
        }
        continue;
      }
      const key = `${scheme}://${address}:${a.port_value}`;
      const echo = opts.echoPorts.get(key);
      if (echo === undefined) throw new Error(`no echo server for ${key} (cluster ${cluster.name})`);
      a.address = opts.host;
      a.port_value = echo;
    }
  }

  moveCertificatePaths(b, opts.certsDir);
  return { bootstrap: b, listeners, notes: [...new Set(notes)] };
}
