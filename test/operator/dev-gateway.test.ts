// End to end without Envoy: kubectl applies the examples to the embedded API server, the operator publishes,
// and the dev gateway follows the Deployment to the published ConfigMap and answers real HTTP with it.
import { expect } from 'chai';
import http from 'node:http';
import { join } from 'node:path';
import type { TestCluster } from '../support/test-cluster.js';
import type { RunningOperator } from '../../operator/operator.js';
import { startDevGateway, type DevGateway } from '../../operator/devgateway/dev-gateway.js';
import { followPublishedConfig } from '../../operator/devgateway/config-follower.js';
import { REPO, clusterWithEnvoy, runOperator, kubectlOk, eventually } from './harness.js';

/** A plain GET (fetch cannot set Host), following no redirects. */
function get(port: number, path: string, host?: string): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }));
    });
    req.on('error', reject);
  });
}

describe('dev gateway: serves the published config over HTTP', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let op: RunningOperator;
  let gateway: DevGateway;
  let follower: { stop(): void };
  let upstream: http.Server;
  const served: string[] = [];

  before(async () => {
    upstream = http.createServer((req, res) => res.end(`real usersvc saw ${req.url}`));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const upstreamPort = (upstream.address() as { port: number }).port;
    cluster = await clusterWithEnvoy();
    op = await runOperator(cluster);
    gateway = await startDevGateway({
      port: 0,
      upstreams: new Map([['usersvc.default', new URL(`http://127.0.0.1:${upstreamPort}`)]]),
    });
    follower = followPublishedConfig({
      kubeConfig: cluster.kubeConfig,
      namespace: 'portico-system',
      deploymentName: 'portico-envoy',
      intervalMs: 50,
      onConfig: ({ configMap, bootstrap }) => {
        served.push(configMap);
        gateway.setConfig(bootstrap);
      },
    });
    await kubectlOk(cluster, ['apply', '-f', join(REPO, 'examples')]);
  });
  after(async () => {
    follower?.stop();
    await gateway?.close();
    await op?.stop();
    await cluster?.stop();
    upstream?.close();
  });

  it('routes /user/health to the mapped upstream as /health', async () => {
    await eventually(
      'usermapping served',
      async () => (await get(gateway.port, '/user/health')).body === 'real usersvc saw /health',
    );
  });

  it('echoes for Services without an upstream, showing /grue/ kept', async () => {
    const r = await get(gateway.port, '/grue/x');
    expect(r.status).to.equal(200);
    expect(JSON.parse(r.body)).to.include({
      route: 'default/gruemapping',
      path: '/grue/x',
      upstream: 'http://gruesvc.default.svc.cluster.local:80',
    });
  });

  it('redirects cleartext for the TLS example host', async () => {
    const r = await get(gateway.port, '/user/x', 'example.local');
    expect(r.status).to.equal(301);
    expect(r.location).to.equal('https://example.local/user/x');
  });

  it('follows a rollout: deleting the Service makes /user/ answer 503, not fall through', async () => {
    const before = served.length;
    await kubectlOk(cluster, ['delete', 'service', 'usersvc']);
    await eventually(
      'a new config served',
      async () => served.length > before && (await get(gateway.port, '/user/health')).status === 503,
    );
  });
});
