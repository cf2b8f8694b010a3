// The pod network of the test world: a Linux bridge in the host's network namespace (the node), and one network
// namespace per pod with a veth into the bridge, its own IP and a default route via the bridge. Service ClusterIPs
// are /32 addresses on the bridge, so a pod reaches them through its default route and the service proxy (which
// listens on them in the host namespace) answers. Names carry the test process's PID, so a later run can remove
// what a killed run left behind.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const PREFIX = 'ptw';

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes bridges and namespaces of earlier runs whose process is gone. */
export function removeStaleNetworks(): void {
  for (const line of ip('-o', 'link', 'show', 'type', 'bridge').split('\n')) {
    const m = new RegExp(`^\\d+: (${PREFIX}(\\d+)):`).exec(line);
    if (m && !alive(Number(m[2]))) ip('link', 'del', m[1]);
  }
  for (const line of ip('netns', 'list').split('\n')) {
    const m = new RegExp(`^(${PREFIX}(\\d+)-\\d+)\\b`).exec(line);
    if (m && !alive(Number(m[2]))) deleteNamespace(m[1]);
  }
}

function deleteNamespace(name: string): void {
  try {
    ip('netns', 'del', name);
  } catch {
    // already gone
  }
  rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
}

function usedThirdOctets(): Set<number> {
  const used = new Set<number>();
  for (const m of ip('-4', '-o', 'addr').matchAll(/inet 10\.244\.(\d+)\./g)) used.add(Number(m[1]));
  return used;
}

export interface PodSandbox {
  /** The network namespace's name (for `ip netns exec`). */
  netns: string;
  ip: string;
  remove(): void;
}

export interface PodNetwork {
  bridge: string;
  /** This world's Service ClusterIP range (its own, so that worlds running at once never share a ClusterIP). */
  serviceCidr: string;
  /** The first address of serviceCidr: the `kubernetes` Service's ClusterIP. */
  kubernetesServiceIp: string;
  /** The node's address on the pod network: the pods' gateway and DNS server. */
  gateway: string;
  createSandbox(resolvConf: string): PodSandbox;
  /** Makes `address` local to the node, reachable from every pod (a Service ClusterIP). */
  addServiceAddress(address: string): void;
  remove(): void;
}

const CLAIMS_DIR = '/var/lib/portico-world/networks';

/**
 * Claims a network number for this run (a file created exclusively, holding our PID; a dead run's claim is
 * taken over), so that worlds running at once on one machine never share an address.
 */
function claimNetworkNumber(): number {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  const used = usedThirdOctets();
  for (let k = 1; k <= 99; k++) {
    if (used.has(k)) continue;
    const claim = `${CLAIMS_DIR}/${k}`;
    try {
      writeFileSync(claim, String(process.pid), { flag: 'wx' });
      return k;
    } catch {
      const owner = Number(readFileSync(claim, 'utf8'));
      if (owner && !alive(owner)) {
        rmSync(claim, { force: true });
        k--; // try this number again
      }
    }
  }
  throw new Error('no free network number for the test world (99 worlds running?)');
}

export function createPodNetwork(): PodNetwork {
  removeStaleNetworks();
  const octet = claimNetworkNumber();
  const base = `10.244.${octet}`;
  const bridge = `${PREFIX}${process.pid}`;
  const gateway = `${base}.1`;
  ip('link', 'add', 'name', bridge, 'type', 'bridge');
  ip('addr', 'add', `${gateway}/24`, 'dev', bridge);
  ip('link', 'set', bridge, 'up');

  const sandboxes = new Set<PodSandbox>();
  const serviceAddresses = new Set<string>();
  // Addresses are handed out in turn and reused only after the range wraps, so an address that a stale
  // EndpointSlice or DNS answer still names is not already another pod's.
  const inUse = new Set<number>();
  let last = 1;
  const allocate = (): number => {
    for (let i = 0; i < 253; i++) {
      last = last >= 254 ? 2 : last + 1;
      if (!inUse.has(last)) {
        inUse.add(last);
        return last;
      }
    }
    throw new Error('the test world ran out of pod IPs');
  };

  const createSandbox = (resolvConf: string): PodSandbox => {
    const host = allocate();
    const netns = `${bridge}-${host}`;
    const hostVeth = `pv${process.pid}-${host}`;
    const podIp = `${base}.${host}`;
    mkdirSync(`/etc/netns/${netns}`, { recursive: true });
    writeFileSync(`/etc/netns/${netns}/resolv.conf`, resolvConf);
    ip('netns', 'add', netns);
    ip('link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', `pp${host}`);
    ip('link', 'set', `pp${host}`, 'netns', netns);
    ip('-n', netns, 'link', 'set', `pp${host}`, 'name', 'eth0');
    ip('-n', netns, 'addr', 'add', `${podIp}/24`, 'dev', 'eth0');
    ip('-n', netns, 'link', 'set', 'eth0', 'up');
    ip('-n', netns, 'link', 'set', 'lo', 'up');
    ip('-n', netns, 'route', 'add', 'default', 'via', gateway);
    ip('link', 'set', hostVeth, 'master', bridge);
    ip('link', 'set', hostVeth, 'up');
    const sandbox: PodSandbox = {
      netns,
      ip: podIp,
      remove() {
        if (!sandboxes.delete(sandbox)) return;
        deleteNamespace(netns);
        inUse.delete(host);
      },
    };
    sandboxes.add(sandbox);
    return sandbox;
  };

  return {
    bridge,
    serviceCidr: `10.${100 + octet}.0.0/16`,
    kubernetesServiceIp: `10.${100 + octet}.0.1`,
    gateway,
    createSandbox,
    addServiceAddress(address) {
      if (serviceAddresses.has(address)) return;
      ip('addr', 'add', `${address}/32`, 'dev', bridge);
      serviceAddresses.add(address);
    },
    remove() {
      for (const s of [...sandboxes]) s.remove();
      try {
        ip('link', 'del', bridge);
      } catch {
        // already gone
      }
      rmSync(`${CLAIMS_DIR}/${octet}`, { force: true });
    },
  };
}
