// The xDS channel is mutually authenticated TLS, on the real world with real Envoy: the operator creates its CA
// in a Secret, serves with a certificate from it, and writes the Envoy client certificate Secret; an Envoy given
// that Secret's files (as the xds overlay mounts them) is served over the channel, while a client without a
// certificate, or with one from another CA, is refused. With short lifetimes both certificates are renewed before
// they expire: the Secret changes, Envoy re-reads the files without a restart, and after an operator restart
// (Envoy reconnects with the renewed certificate, to a new serving certificate from the same CA) changes are
// still served.
import { expect } from 'chai';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { gatewayRequest } from '../support/gateway-client.js';
import { eventually } from '../support/test-cluster.js';
import { selfSignedCert } from '../support/pki.js';
import { REPO_ROOT } from '../world/kubelet/images.js';
import { realWorld, PORTICO_NAMESPACE, type World } from '../world/world.js';
import { startOperator, type OperatorOptions, type RunningOperator } from '../../operator/operator.js';
import { XDS_CA_SECRET, XDS_CLIENT_SECRET } from '../../operator/xds/channel-pki.js';
import { xdsClientSdsFiles } from '../../operator/xds/envoy-bootstrap.js';
import { echoBackendYaml, mappingYaml, namespaceYaml } from './support/backends.js';
import { startXdsEnvoy, type XdsEnvoy } from './support/xds-envoy.js';

const NS = 'xds-mtls-world';
const OPERATOR_NS = 'portico-xds-mtls';
const SERVER_NAME = `portico-operator.${OPERATOR_NS}.svc`;
const CLUSTER_OPERATOR = `/apis/apps/v1/namespaces/${PORTICO_NAMESPACE}/deployments/portico-operator`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('real world: the xDS channel is mutual TLS from the operator’s own CA', function () {
  this.timeout(300_000);
  let world: World;
  let op: RunningOperator;
  let envoy: XdsEnvoy;
  let restoreReplicas: number | undefined;
  let certDir: string;
  let xdsPort: number;

  const apply = async (doc: string) => {
    const r = await world.kubectl(['apply', '-f', '-'], { stdin: doc });
    expect(r.code, r.stderr).to.equal(0);
  };
  const secretData = async (name: string): Promise<Record<string, string>> => {
    const s = await world.rest.must<{ data: Record<string, string> }>(
      'GET',
      `/api/v1/namespaces/${OPERATOR_NS}/secrets/${name}`,
    );
    return Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  };
  /** The client Secret's files into certDir, swapped in at once as the kubelet does for a mounted Secret. */
  const mountClientSecret = async () => {
    const data = await secretData(XDS_CLIENT_SECRET);
    const stage = `${certDir}.new`;
    mkdirSync(stage, { recursive: true });
    for (const f of ['tls.crt', 'tls.key', 'ca.crt']) {
      writeFileSync(join(stage, f), data[f]);
      renameSync(join(stage, f), join(certDir, f));
    }
    return data;
  };
  const options = (): OperatorOptions => ({
    kubeConfig: world.kubeConfig,
    namespace: OPERATOR_NS,
    delivery: 'xds',
    xdsHost: world.network.gateway,
    xdsPort,
    xdsServerNames: [SERVER_NAME],
    // Renewed once a third of 24 s is left: every ~16 s.
    xdsCertLifetimes: { leafMs: 24_000, checkMs: 1000 },
    httpHost: '127.0.0.1',
    httpPort: 0,
    logLevel: process.env.PORTICO_TEST_LOG ?? 'silent',
    holdoffMs: 20,
    maxHoldoffMs: 100,
    leaseDurationMs: 2000,
    renewDeadlineMs: 1500,
    retryPeriodMs: 250,
  });
  const served = (path: string) =>
    eventually(
      `${path} served through Envoy`,
      async () => (await gatewayRequest(`http://${envoy.ip}:8080`, { path }).catch(() => undefined))?.status === 200,
      60_000,
      100,
    );
  /** A TLS client to the xDS port: 'data' if the server speaks HTTP/2 to it, else how it ended. */
  const probe = (extra: tls.ConnectionOptions) =>
    new Promise<string>((resolve) => {
      const s = tls.connect({
        host: world.network.gateway,
        port: xdsPort,
        servername: SERVER_NAME,
        ALPNProtocols: ['h2'],
        ...extra,
      });
      s.setTimeout(5000, () => (resolve('timeout'), s.destroy()));
      s.on('secureConnect', () => s.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00'));
      s.on('data', () => (resolve('data'), s.destroy()));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
      s.on('close', () => resolve('closed'));
    });

  before(async function () {
    world = await realWorld();
    const installed = await world.rest.request('GET', CLUSTER_OPERATOR);
    if (installed.status === 200) {
      restoreReplicas = (installed.body as { spec: { replicas: number } }).spec.replicas;
      expect(
        (await world.kubectl(['scale', 'deployment/portico-operator', '-n', PORTICO_NAMESPACE, '--replicas=0'])).code,
      ).to.equal(0);
      await world.waitForRollout(PORTICO_NAMESPACE, 'portico-operator');
    }
    expect((await world.kubectl(['apply', '--server-side', '-k', join(REPO_ROOT, 'crds')])).code).to.equal(0);
    expect(
      (await world.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s'])).code,
    ).to.equal(0);
    await apply(namespaceYaml(NS));
    await apply(namespaceYaml(OPERATOR_NS));
    await apply(echoBackendYaml('mtlsecho', NS));
    await world.waitForRollout(NS, 'mtlsecho');
    xdsPort = 0;
    op = await startOperator(options());
    xdsPort = op.xdsPort!;
    await eventually(
      'the client certificate Secret',
      () =>
        world.rest
          .request('GET', `/api/v1/namespaces/${OPERATOR_NS}/secrets/${XDS_CLIENT_SECRET}`)
          .then((r) => r.status === 200),
      30_000,
      100,
    );
    certDir = join(world.runDir, `xds-mtls-${process.pid}`, 'xds-tls');
    const sdsDir = join(world.runDir, `xds-mtls-${process.pid}`, 'sds');
    mkdirSync(certDir, { recursive: true });
    mkdirSync(sdsDir, { recursive: true });
    await mountClientSecret();
    for (const [f, text] of Object.entries(xdsClientSdsFiles(certDir))) writeFileSync(join(sdsDir, f), text);
    envoy = await startXdsEnvoy(world, {
      address: world.network.gateway,
      port: xdsPort,
      nodeId: 'mtls-envoy',
      tls: { certDir, sdsDir, serverName: SERVER_NAME },
    });
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

  it('keeps its CA in a Secret and serves Envoy over the channel with the client certificate it issued', async function () {
    const ca = await secretData(XDS_CA_SECRET);
    expect(ca['ca.crt']).to.match(/BEGIN CERTIFICATE/);
    expect(ca['ca.key']).to.match(/BEGIN PRIVATE KEY/);
    const client = await secretData(XDS_CLIENT_SECRET);
    expect(client['ca.crt']).to.equal(ca['ca.crt']);
    expect(new X509Certificate(client['tls.crt']).checkIssued(new X509Certificate(ca['ca.crt']))).to.equal(true);
    await apply(mappingYaml('mtls-a', NS, { prefix: '/mtls-a/', service: 'mtlsecho' }));
    await served('/mtls-a/x');
    expect(await envoy.stat('cluster.portico_xds.ssl.handshake')).to.be.at.least(1);
  });

  it('refuses a client without a certificate, and one with a certificate from another CA', async function () {
    const { 'ca.crt': caPem, 'tls.crt': cert, 'tls.key': key } = await secretData(XDS_CLIENT_SECRET);
    expect(await probe({ ca: caPem, cert, key }), 'the issued client certificate is accepted').to.equal('data');
    expect(await probe({ ca: caPem })).to.not.equal('data');
    const stranger = selfSignedCert('portico-envoy', ['portico-envoy']);
    expect(await probe({ ca: caPem, cert: stranger.cert, key: stranger.key })).to.not.equal('data');
  });

  it('renews both certificates before they expire; Envoy picks the renewed client certificate up without a restart', async function () {
    const pid = envoy.envoy.child.pid;
    const first = (await secretData(XDS_CLIENT_SECRET))['tls.crt'];
    const firstExpiry = Date.parse(new X509Certificate(first).validTo);
    // The kubelet keeps a mounted Secret in sync (about once a minute; every 2 s here).
    const sync = setInterval(() => void mountClientSecret().catch(() => undefined), 2000);
    try {
      await eventually(
        'a renewed client certificate',
        async () => (await secretData(XDS_CLIENT_SECRET))['tls.crt'] !== first,
        30_000,
        500,
      );
      expect(Date.now(), 'renewed before it expired').to.be.below(firstExpiry);
      // Once the first certificate has expired, a new connection can only be made with a renewed one: restart the
      // operator (a new serving certificate from the same CA), so that Envoy reconnects.
      await sleep(Math.max(0, firstExpiry - Date.now()) + 1000);
      await op.stop();
      op = await startOperator(options());
      await apply(mappingYaml('mtls-b', NS, { prefix: '/mtls-b/', service: 'mtlsecho' }));
      await served('/mtls-b/x');
    } finally {
      clearInterval(sync);
    }
    expect(envoy.envoy.child.pid, 'no Envoy restart').to.equal(pid);
    expect(await envoy.stat('cluster.portico_xds.ssl.handshake')).to.be.at.least(2);
  });
});
