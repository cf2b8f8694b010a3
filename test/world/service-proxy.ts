// kube-proxy's and CoreDNS's part in the test world, from the real Services and the EndpointSlices the real
// controller manager maintains: each ClusterIP:port is a TCP listener on the node that forwards every connection
// to a ready endpoint, round-robin (falling back to serving-but-terminating endpoints when none is ready, as
// kube-proxy does); with no endpoint the connection is refused. The same view answers DNS.
import net from 'node:net';
import { CLUSTER_DOMAIN, type DnsAnswer } from './dns.js';
import type { PodNetwork } from './network.js';
import { watchList, type KubeObject, type KubeRest } from './rest.js';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
}

interface Service extends KubeObject {
  spec: { type?: string; clusterIP?: string; externalName?: string; ports?: ServicePort[] };
}

interface EndpointSlice extends KubeObject {
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean } }[];
  ports?: { name?: string; port?: number }[];
}

export interface ServiceProxy {
  lookup(name: string): DnsAnswer;
  /** `namespace/name:port` → the ClusterIP address to dial from the node (tests use it for the gateway). */
  clusterAddress(namespace: string, name: string): string | undefined;
  synced: Promise<void>;
  stop(): Promise<void>;
}

function endpointsFor(slices: EndpointSlice[], portName: string | undefined): string[][] {
  const ready: string[] = [];
  const terminating: string[] = [];
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === (portName ?? ''));
    if (!port?.port) continue;
    for (const ep of slice.endpoints ?? []) {
      const c = ep.conditions ?? {};
      const target = `${ep.addresses[0]}:${port.port}`;
      if (c.ready !== false) ready.push(target);
      else if (c.serving && c.terminating) terminating.push(target);
    }
  }
  return [ready, terminating];
}

export function startServiceProxy(rest: KubeRest, network: PodNetwork): ServiceProxy {
  const listeners = new Map<string, net.Server>();
  const sockets = new Set<net.Socket>();
  const cursor = new Map<string, number>();
  const pick = (svc: Service, port: ServicePort): string | undefined => {
    const mine = slices
      .items()
      .filter(
        (s) =>
          s.metadata.namespace === svc.metadata.namespace &&
          s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name,
      );
    const [ready, terminating] = endpointsFor(mine, port.name);
    const pool = ready.length ? ready : terminating;
    if (!pool.length) return undefined;
    const k = `${svc.metadata.namespace}/${svc.metadata.name}:${port.port}`;
    const i = (cursor.get(k) ?? 0) % pool.length;
    cursor.set(k, i + 1);
    return pool[i];
  };

  const forward = (svc: Service, port: ServicePort) => (client: net.Socket) => {
    const target = pick(svc, port);
    if (!target) {
      client.resetAndDestroy();
      return;
    }
    const [host, p] = target.split(':');
    const upstream = net.connect(Number(p), host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    // A reset on one side is a reset on the other, as through a NAT.
    upstream.on('error', () => client.resetAndDestroy());
    client.on('error', () => upstream.resetAndDestroy());
  };

  const sync = (svc: Service): void => {
    const ip = svc.spec.clusterIP;
    if (!ip || ip === 'None') return;
    network.addServiceAddress(ip);
    const wanted = new Set<string>();
    for (const port of svc.spec.ports ?? []) {
      if ((port.protocol ?? 'TCP') !== 'TCP') continue;
      const k = `${ip}:${port.port}`;
      wanted.add(k);
      const old = listeners.get(k);
      if (old) old.removeAllListeners('connection');
      const server = old ?? net.createServer();
      server.on('connection', forward(svc, port));
      if (!old) {
        server.on('error', () => {});
        server.listen(port.port, ip);
        listeners.set(k, server);
      }
    }
    for (const [k, server] of listeners) {
      if (k.startsWith(`${ip}:`) && !wanted.has(k)) {
        server.close();
        listeners.delete(k);
      }
    }
  };

  const drop = (svc: Service): void => {
    const ip = svc.spec.clusterIP;
    for (const [k, server] of listeners) {
      if (ip && k.startsWith(`${ip}:`)) {
        server.close();
        listeners.delete(k);
      }
    }
  };

  const slices = watchList<EndpointSlice>(rest, '/apis/discovery.k8s.io/v1/endpointslices');
  const services = watchList<Service>(rest, '/api/v1/services', (type, svc) =>
    type === 'DELETED' ? drop(svc) : sync(svc),
  );

  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  const lookup = (name: string): DnsAnswer => {
    if (!name.endsWith(suffix)) return undefined;
    const parts = name.slice(0, -suffix.length).split('.');
    if (parts.length !== 2) return undefined;
    const svc = services.get(parts[1], parts[0]);
    if (!svc) return undefined;
    if (svc.spec.type === 'ExternalName' && svc.spec.externalName) return { cname: svc.spec.externalName };
    if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') return { a: [svc.spec.clusterIP] };
    const mine = slices
      .items()
      .filter(
        (s) => s.metadata.namespace === parts[1] && s.metadata.labels?.['kubernetes.io/service-name'] === parts[0],
      );
    return {
      a: [
        ...new Set(
          mine.flatMap((s) =>
            (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).map((e) => e.addresses[0]),
          ),
        ),
      ],
    };
  };

  return {
    lookup,
    clusterAddress: (namespace, name) => services.get(namespace, name)?.spec.clusterIP,
    synced: Promise.all([services.synced, slices.synced]).then(() => {}),
    async stop() {
      services.stop();
      slices.stop();
      for (const server of listeners.values()) server.close();
      listeners.clear();
      for (const s of sockets) s.destroy();
    },
  };
}
