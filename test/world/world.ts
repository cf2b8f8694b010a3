// The real test world, one per test run, started by the first test that asks for it:
//
//   const world = await realWorld();             // etcd + kube-apiserver + KCM, node, kubelet, proxy, DNS
//   await world.installPortico();                 // kubectl apply --server-side -k manifests/, rollouts done
//   await world.kubectl(['apply', '-f', '-'], { stdin });   // kubectl v1.36, admin
//   world.gatewayUrl('http')                      // the portico-envoy Service, as a client reaches it
//
// The harness plays the parts a cluster has beyond the control plane: a scheduler that binds every pod to the one
// node, a kubelet that runs pods as real processes (Envoy, the operator from dist/, echo upstreams) in network
// namespaces, kube-proxy (ClusterIP:port → ready endpoints) and cluster DNS. Everything else is the real thing.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { gatewayRequest } from '../support/gateway-client.js';
import { runKubectl, type KubectlOptions, type KubectlResult, type RunningKubectl } from '../support/kubectl-runner.js';
import { worldBinaries, type WorldBinaries } from './binaries.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { startDnsServer, type DnsServer } from './dns.js';
import { startKubelet, type Kubelet } from './kubelet/index.js';
import { registerNode, type NodeRegistration } from './kubelet/node.js';
import { REPO_ROOT } from './kubelet/images.js';
import { startScheduler } from './kubelet/scheduler.js';
import { createPodNetwork, type PodNetwork } from './network.js';
import { waitUntil } from './processes.js';
import { KubeRest } from './rest.js';
import { startServiceProxy, type ServiceProxy } from './service-proxy.js';

export const NODE_NAME = 'world-node';
export const PORTICO_NAMESPACE = 'portico-system';

export interface World {
  bin: WorldBinaries;
  runDir: string;
  controlPlane: ControlPlane;
  rest: KubeRest;
  network: PodNetwork;
  proxy: ServiceProxy;
  kubelet: Kubelet;
  /** client-node, as admin. */
  kubeConfig: k8s.KubeConfig;
  /** kubectl v1.36 (the API server's minor), as admin unless `kubeconfig` is given. */
  kubectl(args: string[], opts?: KubectlOptions & { kubeconfig?: string }): Promise<KubectlResult>;
  kubectlBackground(args: string[], opts?: KubectlOptions): RunningKubectl;
  /** `http://<portico-envoy ClusterIP>:80` (or :443 for https). */
  gatewayUrl(scheme: 'http' | 'https'): string;
  /** Applies manifests/ once and waits for the operator and Envoy to be available. */
  installPortico(): Promise<void>;
  /**
   * Waits until Envoy serves the latest change: the operator has compiled what it sees (its /portico/v1/config
   * hash is the one the Envoy Deployment points at), that rollout is complete, and the operator has said so:
   * no Mapping or TLSContext is still Programmed=False/Pending (Programmed=True means Envoy serves it).
   */
  settled(timeoutMs?: number): Promise<void>;
  /** The config a Ready Envoy pod loaded (its unpacked envoy.json), parsed: what real Envoy serves right now. */
  servedConfig(): Promise<object>;
  /** Waits until `deployment` in `namespace` has fully rolled out (all replicas updated, available, no old pods). */
  waitForRollout(namespace: string, deployment: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

let current: Promise<World> | undefined;

const RUNS_DIR = '/var/lib/portico-world';

function removeStaleRuns(): void {
  for (const name of readdirSync(RUNS_DIR)) {
    const pid = Number(/^run-(\d+)-/.exec(name)?.[1]);
    if (!pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(join(RUNS_DIR, name), { recursive: true, force: true });
    }
  }
}

/** The test run's world, started on first use. */
export function realWorld(): Promise<World> {
  current ??= startWorld();
  return current;
}

interface DeploymentStatus {
  metadata: { generation: number };
  spec: { replicas: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
  };
}

/** Peak RSS (VmHWM) of a live process, in MiB. */
function peakRssMiB(pid: number | undefined): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

function worldSummary(upMs: number, processes: { name: string; child: { pid?: number } }[]): string {
  const peaks = processes.map((p) => `${p.name} ${peakRssMiB(p.child.pid) ?? '?'} MiB`).join(', ');
  return `real test world: control plane up in ${(upMs / 1000).toFixed(1)} s; peak RSS ${peaks}`;
}

async function startWorld(): Promise<World> {
  const bin = worldBinaries();
  // Not under /tmp: containers mount their own /tmp, which would hide their volumes' sources.
  mkdirSync(RUNS_DIR, { recursive: true });
  removeStaleRuns();
  const runDir = mkdtempSync(join(RUNS_DIR, `run-${process.pid}-`));
  // Containers run as non-root users and must reach their volumes under here.
  chmodSync(runDir, 0o755);
  const binDir = join(runDir, 'bin');
  mkdirSync(binDir);
  symlinkSync(bin.envoy, join(binDir, 'envoy'));
  symlinkSync(bin.kubectl, join(binDir, 'kubectl'));

  const network = createPodNetwork();
  const cleanup: (() => void | Promise<void>)[] = [() => network.remove()];
  const startedAt = Date.now();
  let upMs = 0;
  let controlPlaneProcesses: { name: string; child: { pid?: number } }[] = [];
  // Before processes.ts kills the children, so their peak RSS can still be read.
  process.prependListener('exit', () => {
    process.stderr.write(`${worldSummary(upMs, controlPlaneProcesses)}\n`);
    network.remove();
    if (!process.env.PORTICO_WORLD_KEEP) rmSync(runDir, { recursive: true, force: true });
  });
  try {
    const controlPlane = await startControlPlane(bin, runDir, {
      address: network.gateway,
      serviceCidr: network.serviceCidr,
      kubernetesServiceIp: network.kubernetesServiceIp,
    });
    controlPlaneProcesses = controlPlane.processes;
    cleanup.unshift(() => controlPlane.stop());
    const rest = new KubeRest(controlPlane.url, controlPlane.pki);
    const dns: DnsServer = await startDnsServer(network.gateway, (name) => proxy.lookup(name));
    cleanup.unshift(() => dns.close());
    const proxy = startServiceProxy(rest, network);
    cleanup.unshift(() => proxy.stop());
    await proxy.synced;
    const node: NodeRegistration = await registerNode(rest, NODE_NAME, network.gateway, bin.kubeVersion);
    cleanup.unshift(() => node.stop());
    const scheduler = startScheduler(rest, NODE_NAME);
    cleanup.unshift(() => scheduler.stop());
    const kubelet = startKubelet({
      rest,
      network,
      bin,
      binDir,
      podsDir: join(runDir, 'pods'),
      nodeName: NODE_NAME,
      kubernetesService: { host: network.kubernetesServiceIp, port: 443 },
    });
    cleanup.unshift(() => kubelet.stop());

    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(controlPlane.adminKubeconfig);
    const scratch = join(runDir, 'kubectl');
    mkdirSync(scratch);
    const kubectlBackground = (args: string[], o: KubectlOptions & { kubeconfig?: string } = {}): RunningKubectl =>
      runKubectl(bin.kubectl, o.kubeconfig ?? controlPlane.adminKubeconfig, scratch, args, o);

    const waitForRollout = async (namespace: string, name: string, timeoutMs = 120_000): Promise<void> => {
      try {
        await waitUntil(
          `rollout of ${namespace}/${name}`,
          async () => {
            const d = await rest.must<DeploymentStatus>(
              'GET',
              `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
            );
            const s = d.status ?? {};
            const want = d.spec.replicas;
            return (
              (s.observedGeneration ?? 0) >= d.metadata.generation &&
              // The API server leaves out counts of zero (a Deployment scaled to 0 has none of them).
              (s.updatedReplicas ?? 0) === want &&
              (s.availableReplicas ?? 0) === want &&
              (s.replicas ?? 0) === want
            );
          },
          timeoutMs,
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${await podReport(namespace)}`, { cause: err });
      }
    };
    // What a person would look at when a rollout hangs: the pods, and the end of each container's log.
    const podReport = async (namespace: string): Promise<string> => {
      const pods = await kubectlBackground(['get', 'pods', '-n', namespace, '-o', 'wide']).done;
      const lines = [pods.stdout];
      const list = await rest.must<{ items: { metadata: { name: string } }[] }>(
        'GET',
        `/api/v1/namespaces/${namespace}/pods`,
      );
      for (const p of list.items) {
        const worker = kubelet.pod(namespace, p.metadata.name);
        for (const c of worker?.containerNames() ?? []) {
          const path = worker?.logPath(c);
          const tail = path && existsSync(path) ? readFileSync(path, 'utf8').slice(-1500) : '(no log)';
          lines.push(`--- ${p.metadata.name}/${c}:\n${tail}`);
        }
      }
      return lines.join('\n');
    };

    const operatorConfigHash = async (): Promise<string | undefined> => {
      const pods = await rest.must<{
        items: { status?: { podIP?: string; conditions?: { type: string; status: string }[] } }[];
      }>('GET', `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Doperator`);
      for (const p of pods.items) {
        if (!p.status?.podIP || !p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
        const r = await gatewayRequest(`http://${p.status.podIP}:8877`, { path: '/portico/v1/config' }).catch(
          () => undefined,
        );
        if (r?.status === 200 && r.json?.published) return r.json.hash as string;
      }
      return undefined;
    };
    const envoyConfigHash = async (): Promise<string | undefined> => {
      const d = await rest.must<{ spec: { template: { metadata: { annotations?: Record<string, string> } } } }>(
        'GET',
        `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/deployments/portico-envoy`,
      );
      return d.spec.template.metadata.annotations?.['portico.dev/config-hash'];
    };
    const settled = async (timeoutMs = 120_000): Promise<void> => {
      // Longer than the operator's hold-off (100 ms, at most 500 ms), so it has seen the last write.
      await new Promise((r) => setTimeout(r, 700));
      await waitUntil(
        'the operator to publish the latest change',
        async () => {
          const [op, envoy] = [await operatorConfigHash(), await envoyConfigHash()];
          return op !== undefined && op === envoy;
        },
        timeoutMs,
      );
      await waitForRollout(PORTICO_NAMESPACE, 'portico-envoy', timeoutMs);
      await waitUntil(
        'the operator to report the rollout in the statuses',
        async () => {
          for (const plural of ['mappings', 'tlscontexts']) {
            const list = await rest.must<{
              items: {
                metadata: { generation: number };
                status?: { observedGeneration?: number; conditions?: { type: string; reason: string }[] };
              }[];
            }>('GET', `/apis/portico.dev/v1alpha1/${plural}`);
            for (const o of list.items) {
              if (o.status?.observedGeneration !== o.metadata.generation) return false;
              if (o.status.conditions?.some((c) => c.type === 'Programmed' && c.reason === 'Pending')) return false;
            }
          }
          return true;
        },
        timeoutMs,
      );
    };

    const servedConfig = async (): Promise<object> => {
      const pods = await rest.must<{
        items: {
          metadata: { name: string; deletionTimestamp?: string };
          status?: { conditions?: { type: string; status: string }[] };
        }[];
      }>('GET', `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Denvoy`);
      const ready = pods.items.find(
        (p) =>
          !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      const worker = ready && kubelet.pod(PORTICO_NAMESPACE, ready.metadata.name);
      if (!worker) throw new Error('no Ready Envoy pod');
      return JSON.parse(readFileSync(join(worker.dir, 'volumes', 'unpacked-config', 'envoy.json'), 'utf8'));
    };
    upMs = Date.now() - startedAt;
    let installed: Promise<void> | undefined;
    const world: World = {
      bin,
      runDir,
      controlPlane,
      rest,
      network,
      proxy,
      kubelet,
      kubeConfig,
      kubectl: (args, o) => kubectlBackground(args, o).done,
      kubectlBackground,
      gatewayUrl(scheme) {
        const ip = proxy.clusterAddress(PORTICO_NAMESPACE, 'portico-envoy');
        if (!ip) throw new Error('the portico-envoy Service does not exist yet: call installPortico() first');
        return scheme === 'http' ? `http://${ip}:80` : `https://${ip}:443`;
      },
      installPortico() {
        installed ??= (async () => {
          if (!existsSync(join(REPO_ROOT, 'dist', 'operator', 'cli.js')))
            throw new Error('dist/ is missing: npm run build');
          const r = await kubectlBackground(['apply', '--server-side', '-k', join(REPO_ROOT, 'manifests')], {
            timeoutMs: 60_000,
          }).done;
          if (r.code !== 0) throw new Error(`kubectl apply -k manifests/ failed: ${r.stderr}`);
          await waitForRollout(PORTICO_NAMESPACE, 'portico-operator');
          // The operator's first publish replaces the bootstrap placeholder: wait for Envoy to serve it.
          await settled();
        })();
        return installed;
      },
      waitForRollout,
      settled,
      servedConfig,
      async stop() {
        for (const c of cleanup) await c();
        if (!process.env.PORTICO_WORLD_KEEP) rmSync(runDir, { recursive: true, force: true });
        current = undefined;
      },
    };
    return world;
  } catch (err) {
    for (const c of cleanup) await c();
    throw err;
  }
}
