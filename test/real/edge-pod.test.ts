// The edge settings as the installed Envoy pods run them on the real world: the Service of manifests/ as the real
// API server takes it, each pod's Envoy (read through its admin, as `kubectl port-forward 9901` would) with workers
// and heap limit from its own resources, and the published config's settings at work through the gateway Service.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parseQuantity } from '../world/kubelet/downward-api.js';
import { gatewayRequest } from '../support/gateway-client.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';

const run = promisify(execFile);
const NS = 'edge-pod';

interface PodList {
  items: {
    metadata: { name: string; deletionTimestamp?: string };
    status?: { podIP?: string; conditions?: { type: string; status: string }[] };
  }[];
}

describe('real world: the Envoy pods run as an edge proxy', function () {
  this.timeout(180_000);
  let world: World;
  let gateway: string;

  before(async function () {
    world = await realWorld();
    await world.installPortico();
    gateway = world.gatewayUrl('http');
    for (const doc of [
      namespaceYaml(NS),
      echoBackendYaml('edge', NS),
      mappingYaml('edge', NS, { prefix: '/edge/', service: 'edge' }),
    ]) {
      const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
      expect(r.code, r.stderr).to.equal(0);
    }
    await world.waitForRollout(NS, 'edge');
    await world.settled();
  });

  it('has a LoadBalancer Service with externalTrafficPolicy Local, and the API server gave it a health check node port', async () => {
    const svc = await world.rest.must<{ spec: Record<string, unknown> }>(
      'GET',
      `/api/v1/namespaces/${PORTICO_NAMESPACE}/services/portico-envoy`,
    );
    expect(svc.spec).to.include({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    // What load balancers probe to send only to nodes with a Ready Envoy pod.
    expect(svc.spec.healthCheckNodePort).to.be.within(30000, 32767);
  });

  it("runs each pod's Envoy with workers = its CPU request and heap limit = its memory limit, without the connection warning", async () => {
    const d = await world.rest.must<any>(
      'GET',
      `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/deployments/portico-envoy`,
    );
    const resources = d.spec.template.spec.containers.find((c: any) => c.name === 'envoy').resources;
    const pods = (
      await world.rest.must<PodList>(
        'GET',
        `/api/v1/namespaces/${PORTICO_NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Denvoy`,
      )
    ).items.filter((p) => !p.metadata.deletionTimestamp);
    expect(pods.length).to.be.at.least(2);
    for (const p of pods) {
      const worker = world.kubelet.pod(PORTICO_NAMESPACE, p.metadata.name)!;
      const admin = async (path: string) =>
        (
          await run('ip', ['netns', 'exec', worker.netns!, 'curl', '-sf', `http://127.0.0.1:9901${path}`], {
            maxBuffer: 64 * 2 ** 20,
          })
        ).stdout;
      const info = JSON.parse(await admin('/server_info'));
      expect(info.command_line_options.concurrency, p.metadata.name).to.equal(
        Math.ceil(parseQuantity(resources.requests.cpu)),
      );
      const dump = JSON.parse(await admin('/config_dump'));
      const om = dump.configs.find((c: any) => c['@type'].endsWith('BootstrapConfigDump')).bootstrap.overload_manager;
      const monitor = (name: string) => om.resource_monitors.find((m: any) => m.name === name).typed_config;
      expect(monitor('envoy.resource_monitors.fixed_heap').max_heap_size_bytes).to.equal(
        String(parseQuantity(resources.limits.memory)),
      );
      expect(
        monitor('envoy.resource_monitors.global_downstream_max_connections').max_active_downstream_connections,
      ).to.equal('50000');
      const log = readFileSync(worker.logPath('envoy')!, 'utf8');
      expect(log).to.include('starting main dispatch loop');
      expect(log).not.to.include('There is no configured limit to the number of allowed active downstream connections');
    }
  });

  it("through the gateway Service: refuses an underscore header, and does not obey a client's x-envoy-* headers", async () => {
    const refused = await gatewayRequest(gateway, { path: '/edge/x', headers: { x_user: 'mallory' } });
    expect([refused.status, refused.text]).to.deep.equal([400, 'Bad Request']);
    // Behind the Service every client arrives from an RFC 1918 node address; it is still external.
    const r = await gatewayRequest(gateway, {
      path: '/edge/x',
      headers: { 'x-envoy-upstream-rq-timeout-ms': '1', 'x-set-response-delay-ms': '300' },
    });
    expect(r.status).to.equal(200);
    expect(r.json.headers['x-envoy-internal']).to.equal(undefined);
    expect(r.json.headers['x-envoy-external-address']).to.match(/^10\./);
  });
});
