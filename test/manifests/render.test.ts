// `kubectl kustomize` renders manifests/ and both overlays, and the rendered objects keep the contract with
// the operator (DESIGN.md "The contract with Envoy") and the install promises (issue 5).
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findObject, renderKustomization, repoRoot, type K8sObject } from './render-manifests.js';

const NAMESPACE = 'portico-system';
const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);

function container(deployment: K8sObject, name: string): any {
  const c = deployment.spec.template.spec.containers.find((x: any) => x.name === name);
  if (!c) throw new Error(`Deployment/${deployment.metadata.name} has no container ${name}`);
  return c;
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

describe('manifests: kubectl kustomize', () => {
  let base: K8sObject[];
  before(async () => {
    base = await renderKustomization('manifests');
  });

  it('renders every object Portico installs, namespaced ones in portico-system', () => {
    const names = base.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names).to.deep.equal([
      'ClusterRole/portico-operator',
      'ClusterRoleBinding/portico-operator',
      'ConfigMap/portico-envoy-bootstrap',
      'CustomResourceDefinition/mappings.portico.dev',
      'CustomResourceDefinition/porticoreferencegrants.portico.dev',
      'CustomResourceDefinition/tlscontexts.portico.dev',
      'Deployment/portico-envoy',
      'Deployment/portico-operator',
      'Namespace/portico-system',
      'NetworkPolicy/portico-envoy',
      'NetworkPolicy/portico-operator',
      'PodDisruptionBudget/portico-envoy',
      'Role/portico-operator',
      'RoleBinding/portico-operator',
      'Service/portico-envoy',
      'ServiceAccount/portico-operator',
    ]);
    for (const o of base) {
      if (CLUSTER_SCOPED.has(o.kind)) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).to.equal(undefined);
      else expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).to.equal(NAMESPACE);
    }
  });

  it('runs the operator as `run` with probes on 8877, POD_NAMESPACE, and a locked-down container', () => {
    const d = findObject(base, 'Deployment', 'portico-operator');
    const pod = d.spec.template.spec;
    const c = container(d, 'operator');
    expect(c.image).to.equal('portico/operator:0.1.0');
    expect(c.args).to.deep.equal(['run']);
    expect(c.livenessProbe.httpGet).to.deep.equal({ path: '/healthz', port: 8877 });
    expect(c.readinessProbe.httpGet).to.deep.equal({ path: '/readyz', port: 8877 });
    expect(c.resources.requests).to.have.keys('cpu', 'memory');
    expect(c.resources.limits).to.have.property('memory');
    expect(c.env.find((e: any) => e.name === 'POD_NAMESPACE').valueFrom.fieldRef.fieldPath).to.equal(
      'metadata.namespace',
    );
    expect(pod.securityContext.runAsNonRoot).to.equal(true);
    expect(pod.securityContext.seccompProfile.type).to.equal('RuntimeDefault');
    expect(c.securityContext).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(c.securityContext.capabilities.drop).to.deep.equal(['ALL']);
    expect(pod.serviceAccountName).to.equal(findObject(base, 'ServiceAccount', 'portico-operator').metadata.name);
  });

  it('binds both roles to the operator ServiceAccount', () => {
    for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
      const b = findObject(base, kind, 'portico-operator');
      expect(b.subjects, kind).to.deep.equal([
        { kind: 'ServiceAccount', name: 'portico-operator', namespace: NAMESPACE },
      ]);
      expect(b.roleRef.kind).to.equal(kind === 'RoleBinding' ? 'Role' : 'ClusterRole');
    }
    // Secrets: read-only cluster-wide, writable only through the namespaced Role.
    const clusterSecretVerbs = findObject(base, 'ClusterRole', 'portico-operator')
      .rules.filter((r: any) => r.resources.includes('secrets'))
      .flatMap((r: any) => r.verbs);
    expect(clusterSecretVerbs.sort()).to.deep.equal(['list', 'watch']);
  });

  it('runs a pinned Envoy on the bootstrap placeholder, with the pod paths of the contract', async () => {
    const d = findObject(base, 'Deployment', 'portico-envoy');
    const pod = d.spec.template.spec;
    const c = container(d, 'envoy');
    expect(c.image).to.match(/^envoyproxy\/envoy:v1\.\d+\.\d+$/);
    expect(c.args.slice(0, 2)).to.deep.equal(['-c', '/etc/portico/envoy/envoy.json']);
    expect(c.readinessProbe.httpGet).to.deep.equal({ path: '/ready', port: 8002 });
    const mounts = Object.fromEntries(c.volumeMounts.map((m: any) => [m.name, m.mountPath]));
    expect(mounts).to.deep.equal({ 'unpacked-config': '/etc/portico/envoy', 'published-certs': '/etc/portico/certs' });
    const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    // The published config arrives packed in a projected volume; the init step unpacks it for Envoy.
    expect(volumes['unpacked-config'].emptyDir).to.be.an('object');
    expect(volumes['published-config'].projected.sources).to.deep.equal([
      { configMap: { name: 'portico-envoy-bootstrap' } },
    ]);
    expect(volumes['published-certs'].projected.sources[0].secret.optional).to.equal(true);
    const init = pod.initContainers.find((x: any) => x.name === 'unpack-config');
    expect(init.image).to.equal(c.image);
    const initMounts = Object.fromEntries(init.volumeMounts.map((m: any) => [m.name, m.mountPath]));
    expect(initMounts).to.deep.equal({
      'published-config': '/etc/portico/published',
      'unpacked-config': '/etc/portico/envoy',
    });
    expect(c.securityContext.readOnlyRootFilesystem).to.equal(true);
    expect(pod.securityContext.runAsNonRoot).to.equal(true);

    const bootstrap = findObject(base, 'ConfigMap', 'portico-envoy-bootstrap');
    const onDisk = await readFile(path.join(repoRoot, 'manifests/base/envoy/bootstrap.json'), 'utf8');
    expect(bootstrap.data).to.have.keys('envoy.json');
    expect(JSON.parse(bootstrap.data['envoy.json'])).to.deep.equal(JSON.parse(onDisk));
  });

  it('rolls Envoy without losing capacity or connections', () => {
    const d = findObject(base, 'Deployment', 'portico-envoy');
    expect(d.spec.replicas).to.be.at.least(2);
    expect(d.spec.strategy.rollingUpdate.maxUnavailable).to.equal(0);
    // Every new pod starts at once (one step per rollout), and is Ready a little while before an old one goes.
    expect(d.spec.strategy.rollingUpdate.maxSurge).to.equal('100%');
    expect(d.spec.minReadySeconds).to.be.within(1, 5);
    // The preStop's drain: test/manifests/envoy-edge.test.ts, and on real Envoy test/real/edge-drain.test.ts.
    expect(container(d, 'envoy').lifecycle.preStop.exec.command[0]).to.equal('/bin/bash');

    const pdb = findObject(base, 'PodDisruptionBudget', 'portico-envoy');
    expect(selects(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels)).to.equal(true);
    expect(pdb.spec.minAvailable).to.be.at.least(1).and.below(d.spec.replicas);
  });

  it('exposes Envoy through a LoadBalancer: 80 → 8080 and 443 → 8443', () => {
    const svc = findObject(base, 'Service', 'portico-envoy');
    const d = findObject(base, 'Deployment', 'portico-envoy');
    expect(svc.spec.type).to.equal('LoadBalancer');
    expect(selects(svc.spec.selector, d.spec.template.metadata.labels)).to.equal(true);
    const containerPorts = Object.fromEntries(container(d, 'envoy').ports.map((p: any) => [p.name, p.containerPort]));
    const mapping = svc.spec.ports.map((p: any) => [p.port, containerPorts[p.targetPort]]);
    expect(mapping).to.deep.equal([
      [80, 8080],
      [443, 8443],
    ]);
  });

  it('overlay http drops port 443 and changes nothing else', async () => {
    const http = await renderKustomization('manifests/overlays/http');
    const svc = findObject(http, 'Service', 'portico-envoy');
    expect(svc.spec.ports.map((p: any) => p.port)).to.deep.equal([80]);
    const others = (objs: K8sObject[]) => objs.filter((o) => o.kind !== 'Service');
    expect(others(http)).to.deep.equal(others(base));
  });

  it('overlay https serves 80 and 443', async () => {
    const https = await renderKustomization('manifests/overlays/https');
    const svc = findObject(https, 'Service', 'portico-envoy');
    expect(svc.spec.ports.map((p: any) => p.port)).to.deep.equal([80, 443]);
    expect(https).to.deep.equal(base);
  });
});
