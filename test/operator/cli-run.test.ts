// `portico run` as a process: flags are honoured, it leads and publishes, and SIGTERM releases the Lease and
// exits 0.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { TestCluster } from '../support/test-cluster.js';
import { REPO, clusterWithEnvoy, http, eventually, envoyDeployment } from './harness.js';
import { freePort } from '../support/free-port.js';

describe('operator: portico run', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  after(async () => cluster?.stop());

  it('runs from flags, publishes, and on SIGTERM releases the Lease and exits 0', async () => {
    cluster = await clusterWithEnvoy();
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO, 'operator', 'cli.ts'),
        'run',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '--http-host',
        '127.0.0.1',
        '--http-port',
        String(port),
        '--identity',
        'cli-op',
        '--holdoff',
        '20',
        '--max-holdoff',
        '100',
        '--lease-duration',
        '2',
        '--renew-deadline',
        '1.5',
        '--retry-period',
        '0.25',
        '--log-level',
        'info',
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await eventually(
        'the operator published',
        async () => /^[0-9a-f]{10}$/.test((await envoyDeployment(cluster)).hash ?? ''),
        30_000,
        100,
      ).catch(async (e) => {
        throw new Error(e.message + output + (await http(port, '/readyz').catch(() => ({ body: 'no http' }))).body);
      });
      await eventually('the operator is ready', async () => (await http(port, '/readyz')).status === 200, 5_000, 50);
      const coord = cluster.kubeConfig.makeApiClient(k8s.CoordinationV1Api);
      expect(
        (await coord.readNamespacedLease({ name: 'portico-leader', namespace: 'portico-system' })).spec!.holderIdentity,
      ).to.equal('cli-op');
      child.kill('SIGTERM');
      expect(await exited, output).to.equal(0);
      expect(
        (await coord.readNamespacedLease({ name: 'portico-leader', namespace: 'portico-system' })).spec!.holderIdentity,
      ).to.equal('');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('rejects a bad flag value with a message naming the flag', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'operator', 'cli.ts'), 'run', '--kubeconfig', '/nonexistent/kubeconfig'],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).to.not.equal(0);
    expect(stderr).to.include('--kubeconfig');
  });
});
