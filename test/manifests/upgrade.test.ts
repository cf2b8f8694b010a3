// docs/install.md "Upgrading": the operator owns three fields of the portico-envoy pod template (the two
// volume names and the config-hash annotation). After it has published, a server-side re-apply of the
// manifests reports a conflict on them instead of pointing Envoy back at the placeholder, and a client-side
// re-apply does revert them (which is why the docs say to upgrade server-side).
import { expect } from 'chai';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiServer, type ApiServer } from '../../operator/apiserver/index.js';
import { startOperator, type RunningOperator } from '../../operator/operator.js';
import { kubectl, kubectlOk } from './kubectl-cli.js';

const NAMESPACE = 'portico-system';

describe('manifests: upgrading over a running operator', function () {
  this.timeout(60_000);
  let server: ApiServer;
  let operator: RunningOperator | undefined;
  let dir: string;
  let kubeconfig: string;
  let apps: AppsV1Api;

  const podTemplate = async () =>
    (await apps.readNamespacedDeployment({ name: 'portico-envoy', namespace: NAMESPACE })).spec!.template;
  const configVolume = async () =>
    (await podTemplate()).spec!.volumes!.find((v) => v.name === 'published-config')!.projected!.sources![0].configMap!
      .name;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'portico-upgrade-'));
    server = await startApiServer({ host: '127.0.0.1', port: 0, crds: [] });
    kubeconfig = path.join(dir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    kc.getCurrentCluster(); // loadFromFile keeps insecure-skip-tls-verify from the file
    apps = kc.makeApiClient(AppsV1Api);
    await kubectlOk(kubeconfig, ['apply', '--server-side', '-k', 'manifests/']);
    operator = await startOperator({
      kubeConfig: kc,
      namespace: NAMESPACE,
      httpHost: '127.0.0.1',
      httpPort: 0,
      holdoffMs: 20,
      maxHoldoffMs: 100,
      identity: 'upgrade-test',
      logLevel: 'error',
    });
    await kubectlOk(kubeconfig, ['apply', '-R', '-f', 'examples/']);
    const deadline = Date.now() + 15_000;
    while ((await configVolume()) === 'portico-envoy-bootstrap') {
      if (Date.now() > deadline) throw new Error('the operator did not publish within 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    await operator.stop();
    operator = undefined;
  });
  after(async () => {
    await operator?.stop();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('kubectl apply --server-side -k reports the conflict and keeps the published config', async () => {
    const published = await configVolume();
    const hash = (await podTemplate()).metadata!.annotations!['portico.dev/config-hash'];
    expect(published).to.equal(`portico-envoy-${hash}`);
    const r = await kubectl(kubeconfig, ['apply', '--server-side', '-k', 'manifests/']);
    expect(r.code, r.stdout).to.not.equal(0);
    expect(r.stderr)
      .to.match(/conflict/i)
      .and.contain('"portico"');
    expect(await configVolume()).to.equal(published);
    expect((await podTemplate()).metadata!.annotations!['portico.dev/config-hash']).to.equal(hash);
    // Every other object was still applied.
    expect(r.stdout).to.contain('deployment.apps/portico-operator serverside-applied');
  });

  it('kubectl apply -k (client-side) would revert Envoy to the placeholder: the documented reason not to use it', async () => {
    expect(await configVolume()).to.not.equal('portico-envoy-bootstrap');
    await kubectlOk(kubeconfig, ['apply', '-k', 'manifests/']);
    expect(await configVolume()).to.equal('portico-envoy-bootstrap');
  });
});
