// The rendered manifests install cleanly on the embedded API server with the real kubectl, server-side:
// `kubectl apply --server-side -k manifests/`, then again (a no-op), then a switch to the http overlay.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiServer, type ApiServer } from '../../operator/apiserver/index.js';
import { kubectl, kubectlOk } from './kubectl-cli.js';
import { renderKustomization } from './render-manifests.js';

describe('manifests: kubectl apply --server-side -k on the embedded API server', function () {
  this.timeout(60_000);
  let server: ApiServer;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'portico-apply-'));
    server = await startApiServer({ host: '127.0.0.1', port: 0, crds: [] });
    kubeconfig = path.join(dir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates every rendered object', async () => {
    const out = await kubectlOk(kubeconfig, ['apply', '--server-side', '-k', 'manifests/']);
    const rendered = await renderKustomization('manifests');
    expect(out.trim().split('\n')).to.have.length(rendered.length);
    for (const o of rendered) {
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
      const type = group ? `${o.kind.toLowerCase()}.${group}` : o.kind.toLowerCase();
      const args = ['get', type, o.metadata.name, '-o', 'json', '--show-managed-fields'];
      if (o.metadata.namespace) args.push('-n', o.metadata.namespace);
      const live = JSON.parse(await kubectlOk(kubeconfig, args));
      expect(live.metadata.name, `${o.kind}/${o.metadata.name}`).to.equal(o.metadata.name);
      // Ownership matters where the operator co-owns fields later (server-side apply conflicts).
      if (['Deployment', 'ConfigMap', 'Service'].includes(o.kind)) {
        expect(
          (live.metadata.managedFields ?? []).map((f: any) => f.manager),
          `${o.kind}/${o.metadata.name}`,
        ).to.include('kubectl');
      }
    }
  });

  it('serves the installed CRDs: kubectl get mappings and its short name work', async () => {
    for (const name of ['mappings', 'map', 'tlscontexts', 'tlsctx']) {
      const r = await kubectl(kubeconfig, ['get', name, '-n', 'default']);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.contain('No resources found in default namespace');
    }
  });

  it('re-applying changes nothing', async () => {
    const before = JSON.parse(
      await kubectlOk(kubeconfig, ['get', 'deployment', 'portico-envoy', '-n', 'portico-system', '-o', 'json']),
    );
    await kubectlOk(kubeconfig, ['apply', '--server-side', '-k', 'manifests/']);
    const after = JSON.parse(
      await kubectlOk(kubeconfig, ['get', 'deployment', 'portico-envoy', '-n', 'portico-system', '-o', 'json']),
    );
    expect(after.metadata.generation).to.equal(before.metadata.generation);
    expect(after.metadata.resourceVersion).to.equal(before.metadata.resourceVersion);
  });

  it('switching to the http overlay removes port 443 from the Service', async () => {
    await kubectlOk(kubeconfig, ['apply', '--server-side', '-k', 'manifests/overlays/http']);
    const svc = JSON.parse(
      await kubectlOk(kubeconfig, ['get', 'service', 'portico-envoy', '-n', 'portico-system', '-o', 'json']),
    );
    expect(svc.spec.ports.map((p: any) => p.port)).to.deep.equal([80]);
  });
});
