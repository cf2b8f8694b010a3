// Shared integration-test harness: an embedded API server plus the real kubectl and client-node pointed at it.
//
//   const cluster = await startTestCluster({ crds: true });   // crds: true installs crds/*.yaml (or pass objects)
//   const r = await cluster.kubectl(['apply', '-f', '-'], { stdin: yamlText });  // never throws on exit code
//   expect(r.code).to.equal(0, r.stderr);
//   const core = cluster.kubeConfig.makeApiClient(k8s.CoreV1Api);
//   cluster.server.faults.closeWatches();                     // fault injection (operator/apiserver/faults.ts)
//   cluster.server.audit.writes();                            // every request, as the audit log saw it (audit-log.ts)
//   await cluster.stop();                                     // in after(): closes the server, removes temp dirs
//
// Each cluster has its own temp dir holding the kubeconfig; every kubectl call gets its own fresh KUBECACHEDIR
// (discovery caches would otherwise leak between servers on reused ports) and HOME. The kubeconfig uses
// http:// with insecure-skip-tls-verify, which both kubectl and client-node accept.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { runKubectl, type KubectlOptions, type KubectlResult, type RunningKubectl } from './kubectl-runner.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../operator/apiserver/index.js';

export type { KubectlOptions, KubectlResult, RunningKubectl } from './kubectl-runner.js';

export interface TestCluster {
  server: ApiServer;
  url: string;
  kubeconfigPath: string;
  kubeConfig: k8s.KubeConfig;
  /** Runs the real kubectl; resolves with its exit code and output (never rejects on non-zero exit). */
  kubectl(args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  /** Starts a long-running kubectl (e.g. `get -w`) you can read from and kill. */
  kubectlBackground(args: string[], opts?: KubectlOptions): RunningKubectl;
  stop(): Promise<void>;
}

export interface TestClusterOptions extends Omit<ApiServerOptions, 'crds'> {
  /** true → the project's crds/*.yaml; or explicit CRD objects. */
  crds?: boolean | object[];
}

const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The CRD objects in the repository's crds/ folder (empty when it has none yet). */
export function loadRepoCrds(): object[] {
  const dir = join(REPO_ROOT, 'crds');
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
  } catch {
    return [];
  }
  return files.flatMap((f) =>
    yaml
      .loadAll(readFileSync(join(dir, f), 'utf8'))
      .filter((d): d is object => !!d && (d as any).kind === 'CustomResourceDefinition'),
  );
}

export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const crds = opts.crds === true ? loadRepoCrds() : Array.isArray(opts.crds) ? opts.crds : [];
  const server = await startApiServer({ ...opts, crds });
  const dir = mkdtempSync(join(tmpdir(), 'portico-cluster-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await server.writeKubeconfig(kubeconfigPath);
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);

  const running = new Set<RunningKubectl>();
  const kubectlBackground = (args: string[], o: KubectlOptions = {}): RunningKubectl => {
    const k = runKubectl('kubectl', kubeconfigPath, dir, args, o);
    running.add(k);
    void k.done.then(() => running.delete(k));
    return k;
  };

  return {
    server,
    url: server.url,
    kubeconfigPath,
    kubeConfig,
    kubectl: (args, o) => kubectlBackground(args, o).done,
    kubectlBackground,
    async stop() {
      for (const k of running) k.kill('SIGKILL');
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function eventually<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  intervalMs = 25,
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as Exclude<T, undefined | null | false>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
