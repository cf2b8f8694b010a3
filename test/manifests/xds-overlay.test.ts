// manifests/overlays/xds: the files Envoy starts from are exactly what xdsEnvoyBootstrap() generates and pass
// the Envoy proto check; the rendered overlay runs the operator in xds mode behind the Service the bootstrap
// names, starts Envoy from that bootstrap with the client certificate Secret mounted and no published volumes,
// and grants what the xDS feed needs (a watch on ConfigMaps) and nothing the base does not otherwise.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findObject, renderKustomization, repoRoot, type K8sObject } from './render-manifests.js';
import { xdsOverlayFiles, XDS_CLIENT_CERT_DIR, XDS_PORT } from '../../operator/xds/envoy-bootstrap.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { XDS_CLIENT_SECRET } from '../../operator/xds/channel-pki.js';

describe('manifests: the xds overlay', function () {
  this.timeout(60_000);
  let objects: K8sObject[];
  before(async () => {
    objects = await renderKustomization('manifests/overlays/xds');
  });

  it('ships the bootstrap and SDS files xdsEnvoyBootstrap() generates, and the bootstrap passes the Envoy proto check', () => {
    for (const [file, text] of Object.entries(xdsOverlayFiles())) {
      expect(
        readFileSync(path.join(repoRoot, 'manifests/overlays/xds/envoy', file), 'utf8'),
        `${file} (regenerate with xdsOverlayFiles())`,
      ).to.equal(text);
    }
    expect(validateEnvoyBootstrap(JSON.parse(xdsOverlayFiles()['bootstrap.json']))).to.deep.equal([]);
    const cm = findObject(objects, 'ConfigMap', 'portico-envoy-xds-bootstrap');
    expect(Object.keys(cm.data).sort()).to.deep.equal(['envoy.json', 'xds-ca-sds.json', 'xds-client-sds.json']);
  });

  it('runs the operator in xds mode behind the Service the bootstrap names', () => {
    const op = findObject(objects, 'Deployment', 'portico-operator').spec.template.spec.containers[0];
    expect(op.env).to.deep.include({ name: 'PORTICO_DELIVERY', value: 'xds' });
    expect(op.ports).to.deep.include({ name: 'xds', containerPort: XDS_PORT });
    const svc = findObject(objects, 'Service', 'portico-operator');
    expect(svc.spec.ports).to.deep.equal([{ name: 'xds', port: XDS_PORT, targetPort: XDS_PORT }]);
    const bootstrap = JSON.parse(findObject(objects, 'ConfigMap', 'portico-envoy-xds-bootstrap').data['envoy.json']);
    const address =
      bootstrap.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address
        .socket_address;
    expect(address).to.deep.equal({
      address: `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local`,
      port_value: XDS_PORT,
    });
  });

  it('starts Envoy from the bootstrap with the client certificate mounted, named by its pod, without the published volumes', () => {
    const d = findObject(objects, 'Deployment', 'portico-envoy').spec.template.spec;
    expect(d.initContainers).to.equal(undefined);
    const envoy = d.containers[0];
    expect(envoy.args.slice(0, 2)).to.deep.equal(['-c', '/etc/portico/envoy/envoy.json']);
    expect(envoy.args.slice(-2)).to.deep.equal(['--service-node', '$(POD_NAME)']);
    expect(envoy.volumeMounts).to.deep.include({
      name: 'xds-client-cert',
      mountPath: XDS_CLIENT_CERT_DIR,
      readOnly: true,
    });
    expect(d.volumes.map((v: { name: string }) => v.name).sort()).to.deep.equal(['xds-bootstrap', 'xds-client-cert']);
    expect(d.volumes.find((v: { name: string }) => v.name === 'xds-client-cert').secret.secretName).to.equal(
      XDS_CLIENT_SECRET,
    );
  });

  it('lets the operator watch ConfigMaps in its namespace, and only Envoy pods reach its ADS port', () => {
    const role = findObject(objects, 'Role', 'portico-operator');
    expect(role.rules).to.deep.include({ apiGroups: [''], resources: ['configmaps'], verbs: ['watch'] });
    const np = findObject(objects, 'NetworkPolicy', 'portico-operator');
    const xds = np.spec.ingress.find((i: { ports: { port: number }[] }) => i.ports.some((p) => p.port === XDS_PORT));
    expect(xds.from).to.deep.equal([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'portico', 'app.kubernetes.io/component': 'envoy' } } },
    ]);
  });
});
