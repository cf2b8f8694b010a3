// `xds` delivery on the real world: the operator (in this process, `delivery: 'xds'`, the manifests' defaults
// otherwise) against the real kube-apiserver + KCM, and real Envoy 1.40 started once on the small ADS bootstrap.
// A Mapping applied with real kubectl is served through that Envoy without a restart, and Programmed=True is
// written only once Envoy serves it (status read before each request, so True is never seen while it is not).
// A config real Envoy refuses although every check of ours passes (a listener on a port something else holds in
// the Envoy's network namespace) is NACKed: the TLSContext is Programmed=False/InvalidConfig with Envoy's own
// message, what Envoy served stays served, and the next change recovers.
import { expect } from 'chai';
import { type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { gatewayRequest } from '../support/gateway-client.js';
import { eventually } from '../support/test-cluster.js';
import { tlsSecretYaml } from '../support/objects.js';
import { selfSignedCert } from '../support/pki.js';
import { REPO_ROOT } from '../world/kubelet/images.js';
import { startProcess } from '../world/processes.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { startOperator, type RunningOperator } from '../../operator/operator.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';
import { startXdsEnvoy, type XdsEnvoy } from './support/xds-envoy.js';

const NS = 'xds-world';
const OPERATOR_NS = 'portico-xds';
const CLUSTER_OPERATOR = `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/deployments/portico-operator`;

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('real world: xds delivery (ADS to real Envoy)', function () {
  this.timeout(300_000);
  let world: World;
  let op: RunningOperator;
  let envoy: XdsEnvoy;
  let restoreReplicas: number | undefined;
  let gateway: string;

  const apply = async (doc: string) => {
    const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
    expect(r.code, r.stderr).to.equal(0);
  };
  const condition = async (plural: string, name: string): Promise<Condition | undefined> => {
    const o = await world.rest.must<{
      metadata: { generation: number };
      status?: { observedGeneration?: number; conditions?: Condition[] };
    }>('GET', `/apis/portico.dev/v1alpha1/namespaces/${NS}/${plural}/${name}`);
    if (o.status?.observedGeneration !== o.metadata.generation) return undefined;
    return o.status?.conditions?.find((c) => c.type === 'Programmed');
  };
  const status = async (path: string) => (await gatewayRequest(gateway, { path }).catch(() => undefined))?.status ?? 0;
  /** Polls the Mapping's Programmed condition, then a request; returns once True, asserting True is never seen unserved. */
  const followUntilProgrammed = async (name: string, path: string, timeoutMs = 60_000): Promise<number> => {
    const start = Date.now();
    for (;;) {
      const c = await condition('mappings', name);
      const code = await status(path);
      if (c?.status === 'True') {
        expect(code, `${name} is Programmed=True, so Envoy serves ${path}`).to.equal(200);
        return Date.now() - start;
      }
      if (Date.now() - start > timeoutMs)
        throw new Error(`${name} not Programmed after ${timeoutMs} ms (last: ${JSON.stringify(c)}, ${path} → ${code})`);
      await sleep(50);
    }
  };

  before(async function () {
    world = await realWorld();
    // Another test file may have installed Portico in rollout mode: its operator would judge these objects too.
    const installed = await world.rest.request('GET', CLUSTER_OPERATOR);
    if (installed.status === 200) {
      restoreReplicas = (installed.body as { spec: { replicas: number } }).spec.replicas;
      const r = await world.kubectl(['scale', 'deployment/portico-operator', '-n', PORTICO_NAMESPACE, '--replicas=0']);
      expect(r.code, r.stderr).to.equal(0);
      await world.waitForRollout(PORTICO_NAMESPACE, 'portico-operator');
    }
    // The CRDs as manifests/ installs them (a no-op when a test before installed Portico).
    const crds = await world.kubectl(['apply', '--server-side', '-k', join(REPO_ROOT, 'crds')]);
    expect(crds.code, crds.stderr).to.equal(0);
    // The NACK case needs its TLSContext to add the HTTPS listener; another test file's TLSContexts would have.
    const tls = await world.kubectl(['delete', 'tlscontexts', '--all', '--all-namespaces', '--wait=false']);
    expect(tls.code, tls.stderr).to.equal(0);
    const established = await world.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    expect(established.code, established.stderr).to.equal(0);
    await apply(namespaceYaml(NS));
    await apply(namespaceYaml(OPERATOR_NS));
    await apply(echoBackendYaml('xdsecho', NS));
    await world.waitForRollout(NS, 'xdsecho');
    op = await startOperator({
      kubeConfig: world.kubeConfig,
      namespace: OPERATOR_NS,
      delivery: 'xds',
      xdsHost: world.network.gateway,
      xdsPort: 0,
      xdsInsecure: true,
      httpHost: '127.0.0.1',
      httpPort: 0,
      logLevel: process.env.PORTICO_TEST_LOG ?? 'silent',
      holdoffMs: 20,
      maxHoldoffMs: 100,
    });
    envoy = await startXdsEnvoy(world, { address: world.network.gateway, port: op.xdsPort!, nodeId: 'xds-envoy-a' });
    gateway = `http://${envoy.ip}:8080`;
    await apply(mappingYaml('xds-base', NS, { prefix: '/xds-base/', service: 'xdsecho' }));
    await followUntilProgrammed('xds-base', '/xds-base/x');
  });

  after(async function () {
    await envoy?.stop();
    await op?.stop();
    await world?.kubectl(['delete', 'namespace', NS, OPERATOR_NS, '--wait=false']);
    if (restoreReplicas !== undefined)
      await world.kubectl([
        'scale',
        'deployment/portico-operator',
        '-n',
        PORTICO_NAMESPACE,
        `--replicas=${restoreReplicas}`,
      ]);
  });

  it('serves each Mapping applied with kubectl through the same Envoy process, Programmed=True only once served', async function () {
    const pid = envoy.envoy.child.pid;
    const ldsBefore = await envoy.stat('listener_manager.lds.update_success');
    for (const name of ['xds-a', 'xds-b', 'xds-c']) {
      expect(await status(`/${name}/x`), `${name} is not served before it exists`).to.equal(404);
      await apply(mappingYaml(name, NS, { prefix: `/${name}/`, service: 'xdsecho' }));
      await followUntilProgrammed(name, `/${name}/x`);
      expect(await status('/xds-base/x'), 'the Mapping already served stays served').to.equal(200);
    }
    expect(envoy.envoy.child.pid, 'no Envoy restart').to.equal(pid);
    expect(envoy.envoy.child.exitCode).to.equal(null);
    const info = JSON.parse(await envoy.admin('/server_info')) as {
      state: string;
      command_line_options: { restart_epoch: number };
    };
    expect(info.state).to.equal('LIVE');
    expect(info.command_line_options.restart_epoch).to.equal(0);
    // Each change arrived over the stream (RDS carries the routes; LDS changes only when listeners do).
    expect(await envoy.stat('http.http.rds.http/default.update_success')).to.be.at.least(4);
    expect(await envoy.stat('listener_manager.lds.update_success')).to.equal(ldsBefore);
  });

  it("is Programmed=False/InvalidConfig with Envoy's message when Envoy NACKs, keeps serving the last good version, and recovers on the next change", async function () {
    // Something else holds 8443 in Envoy's network namespace: the HTTPS listener cannot bind. No check of ours can
    // know that; only the Envoy that loads it does.
    const squatter: ChildProcess = startProcess(
      'xds-squatter',
      [
        'ip',
        'netns',
        'exec',
        envoy.netns,
        'python3',
        '-c',
        'import socket,time\ns=socket.socket()\ns.bind(("0.0.0.0",8443))\ns.listen()\nprint("bound",flush=True)\ntime.sleep(3600)',
      ],
      join(world.runDir, `xds-squatter-${process.pid}.log`),
    ).child;
    try {
      await eventually(
        'the squatter holds 8443',
        async () => (await envoy.admin('/listeners').catch(() => '')) !== undefined && squatter.exitCode === null,
        5000,
        100,
      );
      await sleep(300);
      const pair = selfSignedCert('xds.test', ['xds.test']);
      await apply(tlsSecretYaml('xds-tls', pair).replace('metadata:', `metadata:\n  namespace: ${NS}`));
      await apply(
        `apiVersion: portico.dev/v1alpha1\nkind: TLSContext\nmetadata: {name: xds-tls, namespace: ${NS}}\nspec: {hosts: [xds.test], secret: xds-tls}\n`,
      );
      const refused = await eventually(
        'the TLSContext Programmed=False/InvalidConfig',
        async () => {
          const c = await condition('tlscontexts', 'xds-tls');
          return c?.status === 'False' && c.reason === 'InvalidConfig' ? c : undefined;
        },
        60_000,
        100,
      );
      expect(refused.message).to.match(/Envoy xds-envoy-a refused configuration [0-9a-f]+: /);
      expect(refused.message, "Envoy's own words").to.match(/8443/);
      // The version Envoy accepted last is still what it serves.
      for (let i = 0; i < 5; i++) expect(await status('/xds-a/x')).to.equal(200);
      const listeners = await envoy.admin('/listeners?format=json');
      expect(listeners).to.not.include('"https"');
    } finally {
      squatter.kill('SIGKILL');
    }
    // The next change (the TLSContext removed: back to the generation Envoy serves) is Programmed again, as is a
    // new Mapping after it.
    const r = await world.kubectl(['delete', 'tlscontext', 'xds-tls', '-n', NS]);
    expect(r.code, r.stderr).to.equal(0);
    await followUntilProgrammed('xds-a', '/xds-a/x');
    await apply(mappingYaml('xds-d', NS, { prefix: '/xds-d/', service: 'xdsecho' }));
    await followUntilProgrammed('xds-d', '/xds-d/x');
  });
});
