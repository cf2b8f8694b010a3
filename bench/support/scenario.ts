// A populated cluster plus the operator in its own process behind the counting proxy: the common setup of the
// propagation, burst, memory and idle benchmarks.
import { join } from 'node:path';
import { generateCluster } from '../generate-snapshot.js';
import {
  createObjects,
  namespacesFor,
  startBenchCluster,
  type BenchCluster,
  type CreateReport,
} from './bench-cluster.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { kubeconfigVia, startOperatorProcess, type OperatorProcess } from './operator-process.js';
import { WORKLOADS, type WorkloadName } from './workloads.js';

export interface Scenario {
  cluster: BenchCluster;
  proxy: CountingProxy;
  populate: CreateReport;
  /** Mappings the API server refused (schema), so the operator never sees them. */
  refusedBySchema: number;
  objects: { mappings: number; services: number; tlsContexts: number; secrets: number };
  startOperator(opts?: { nodeFlags?: string[]; logName?: string }): Promise<OperatorProcess>;
  stop(): Promise<void>;
}

type Obj = { kind?: string; metadata: { name: string; namespace?: string } };

export async function startScenario(workload: WorkloadName, n: number, extra: Obj[] = []): Promise<Scenario> {
  const cluster = await startBenchCluster();
  const c = generateCluster(n, WORKLOADS[workload]);
  const all: Obj[] = [...c.services, ...c.secrets, ...c.referenceGrants, ...c.tlsContexts, ...c.mappings, ...extra];
  const ns = await createObjects(cluster.url, namespacesFor(all), 4);
  const populate = await createObjects(cluster.url, all, 16);
  // The generator's schema-invalid Mappings are refused by the API server (422), as a real one does: they never
  // reach the operator. Anything else is a setup failure.
  const refused = populate.failures.filter((f) => f.status === 422 && f.object.startsWith('Mapping '));
  const unexpected = [...ns.failures, ...populate.failures.filter((f) => !refused.includes(f))];
  if (unexpected.length) throw new Error(`populating the cluster failed: ${JSON.stringify(unexpected.slice(0, 3))}`);
  const proxy = await startCountingProxy(cluster.url);
  const kubeconfig = kubeconfigVia(
    cluster.kubeconfigPath,
    cluster.url,
    proxy.url,
    join(cluster.dir, 'kubeconfig-proxy'),
  );
  const operators: OperatorProcess[] = [];
  const count = (kind: string) => all.filter((o) => o.kind === kind).length;
  return {
    cluster,
    proxy,
    populate,
    refusedBySchema: refused.length,
    objects: {
      mappings: count('Mapping') - refused.length,
      services: count('Service'),
      tlsContexts: count('TLSContext'),
      secrets: count('Secret'),
    },
    async startOperator(opts = {}) {
      const op = await startOperatorProcess({
        kubeconfigPath: kubeconfig,
        logFile: join(cluster.dir, `${opts.logName ?? 'operator'}.log`),
        nodeFlags: opts.nodeFlags,
      });
      operators.push(op);
      return op;
    },
    async stop() {
      for (const op of operators) await op.stop();
      await proxy.close();
      await cluster.stop();
    },
  };
}
