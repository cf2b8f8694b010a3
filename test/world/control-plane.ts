// One real control plane per test run: etcd → kube-apiserver (RBAC) → kube-controller-manager, with the flags
// envtest and hack/local-up-cluster.sh use (../shared/reference/real-test-world.md §4). Admin and controller
// manager authenticate with client certificates from the harness's CA.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import type { WorldBinaries } from './binaries.js';
import { makeControlPlanePki, type ClientCert, type ControlPlanePki } from './pki.js';
import { startProcess, waitUntil, type WorldProcess } from './processes.js';

export interface ControlPlane {
  url: string;
  pki: ControlPlanePki;
  adminKubeconfig: string;
  processes: WorldProcess[];
  /** A kubeconfig for a bearer token (e.g. a ServiceAccount's), written into the run folder. */
  writeTokenKubeconfig(name: string, token: string): string;
  stop(): Promise<void>;
}

function kubeconfigYaml(url: string, caCert: string, user: Record<string, string>): string {
  const userLines = Object.entries(user)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n');
  return `apiVersion: v1
kind: Config
clusters:
- name: world
  cluster:
    server: ${url}
    certificate-authority-data: ${readFileSync(caCert).toString('base64')}
users:
- name: user
  user:
${userLines}
contexts:
- name: world
  context:
    cluster: world
    user: user
    namespace: default
current-context: world
`;
}

function certUser(c: ClientCert): Record<string, string> {
  return {
    'client-certificate-data': readFileSync(c.cert).toString('base64'),
    'client-key-data': readFileSync(c.key).toString('base64'),
  };
}

function httpsGet(url: string, pki: ControlPlanePki, verify = true): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        ca: readFileSync(pki.caCert),
        rejectUnauthorized: verify,
        cert: readFileSync(pki.admin.cert),
        key: readFileSync(pki.admin.key),
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/**
 * `address` is the node's address on the pod network: the API server binds and advertises it, so the `kubernetes`
 * Service's endpoints are valid (loopback is refused there) and pods reach it through the Service.
 */
export interface ControlPlaneNetwork {
  /** The node's address on the pod network. */
  address: string;
  /** Service ClusterIPs come from here; the first one is the `kubernetes` Service's. */
  serviceCidr: string;
  kubernetesServiceIp: string;
}

export async function startControlPlane(
  bin: WorldBinaries,
  runDir: string,
  net: ControlPlaneNetwork,
): Promise<ControlPlane> {
  const { address } = net;
  const pkiDir = join(runDir, 'pki');
  mkdirSync(pkiDir, { recursive: true });
  const pki = makeControlPlanePki(pkiDir, [net.kubernetesServiceIp, address]);
  const logs = join(runDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const processes: WorldProcess[] = [];
  const stopAll = async (): Promise<void> => {
    for (const p of [...processes].reverse()) await p.stop();
  };
  try {
    const [etcdClient, etcdPeer] = [await freePort(), await freePort()];
    const etcd = startProcess(
      'etcd',
      [
        bin.etcd,
        `--data-dir=${join(runDir, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      join(logs, 'etcd.log'),
    );
    processes.push(etcd);
    await waitUntil(
      'etcd',
      async () => (await httpGet(`http://127.0.0.1:${etcdClient}/health`)).body.includes('"health":"true"'),
      60_000,
      etcd,
    );

    const securePort = await freePort();
    const url = `https://${address}:${securePort}`;
    const apiserver = startProcess(
      'kube-apiserver',
      [
        bin.kubeApiserver,
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        `--cert-dir=${join(runDir, 'apiserver-certs')}`,
        `--tls-cert-file=${pki.servingCert}`,
        `--tls-private-key-file=${pki.servingKey}`,
        `--secure-port=${securePort}`,
        `--bind-address=${address}`,
        `--advertise-address=${address}`,
        `--service-cluster-ip-range=${net.serviceCidr}`,
        '--allow-privileged=true',
        '--authorization-mode=RBAC',
        `--client-ca-file=${pki.caCert}`,
        `--service-account-issuer=${url}/`,
        `--service-account-key-file=${pki.saPublicKey}`,
        `--service-account-signing-key-file=${pki.saPrivateKey}`,
        '--v=1',
      ],
      join(logs, 'kube-apiserver.log'),
    );
    processes.push(apiserver);
    await waitUntil(
      'kube-apiserver',
      async () => (await httpsGet(`${url}/readyz`, pki)).status === 200,
      120_000,
      apiserver,
    );

    const adminKubeconfig = join(runDir, 'admin.kubeconfig');
    writeFileSync(adminKubeconfig, kubeconfigYaml(url, pki.caCert, certUser(pki.admin)), { mode: 0o600 });
    const kcmKubeconfig = join(runDir, 'kcm.kubeconfig');
    writeFileSync(kcmKubeconfig, kubeconfigYaml(url, pki.caCert, certUser(pki.controllerManager)), { mode: 0o600 });

    const kcmPort = await freePort();
    const kcm = startProcess(
      'kube-controller-manager',
      [
        bin.kubeControllerManager,
        `--kubeconfig=${kcmKubeconfig}`,
        `--authentication-kubeconfig=${kcmKubeconfig}`,
        `--authorization-kubeconfig=${kcmKubeconfig}`,
        '--leader-elect=false',
        '--controllers=*',
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pki.saPrivateKey}`,
        `--root-ca-file=${pki.caCert}`,
        `--service-cluster-ip-range=${net.serviceCidr}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${kcmPort}`,
        `--cert-dir=${join(runDir, 'kcm-certs')}`,
        '--v=1',
      ],
      join(logs, 'kube-controller-manager.log'),
    );
    processes.push(kcm);
    await waitUntil(
      'kube-controller-manager',
      async () => {
        // Its serving certificate is self-signed (in --cert-dir), so only its answer is checked here.
        const r = await httpsGet(`https://127.0.0.1:${kcmPort}/healthz`, pki, false);
        return r.status === 200;
      },
      120_000,
      kcm,
    );

    const writeTokenKubeconfig = (name: string, token: string): string => {
      const path = join(runDir, `${name}.kubeconfig`);
      writeFileSync(path, kubeconfigYaml(url, pki.caCert, { token }), { mode: 0o600 });
      return path;
    };
    return { url, pki, adminKubeconfig, processes, writeTokenKubeconfig, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
