// Who may reach Portico's pods (issue 19.3): each NetworkPolicy selects exactly its Deployment's pods and opens
// exactly the ports their containers serve (the operator's :8877 only to its own namespace and namespaces that
// opt in), and portico-system enforces Pod Security "restricted".
import { expect } from 'chai';
import { findObject, renderKustomization, type K8sObject } from './render-manifests.js';

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

function servedPorts(d: K8sObject): number[] {
  return d.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort)).sort();
}

describe('manifests: network access and Pod Security', function () {
  this.timeout(30_000);
  let objects: K8sObject[];
  before(async () => {
    objects = await renderKustomization('manifests');
  });

  for (const component of ['operator', 'envoy']) {
    it(`the ${component} NetworkPolicy selects the ${component} pods only and opens only the ports they serve`, () => {
      const policy = findObject(objects, 'NetworkPolicy', `portico-${component}`);
      const deployment = findObject(objects, 'Deployment', `portico-${component}`);
      const labels = deployment.spec.template.metadata.labels;
      expect(selects(policy.spec.podSelector.matchLabels, labels)).to.equal(true);
      const other = findObject(objects, 'Deployment', `portico-${component === 'envoy' ? 'operator' : 'envoy'}`);
      expect(selects(policy.spec.podSelector.matchLabels, other.spec.template.metadata.labels)).to.equal(false);
      expect(policy.spec.policyTypes).to.deep.equal(['Ingress']);
      const opened = policy.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port)).sort();
      expect(opened).to.deep.equal(servedPorts(deployment));
    });
  }

  it('lets only its own namespace and opted-in namespaces reach the operator', () => {
    const policy = findObject(objects, 'NetworkPolicy', 'portico-operator');
    expect(policy.spec.ingress).to.have.length(1);
    expect(policy.spec.ingress[0].from).to.deep.equal([
      { podSelector: {} },
      { namespaceSelector: { matchLabels: { 'portico.dev/metrics-access': 'true' } } },
    ]);
  });

  it('lets only the operator reach Envoy’s stats listener (:8003)', () => {
    const policy = findObject(objects, 'NetworkPolicy', 'portico-envoy');
    const rules = policy.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === 8003));
    expect(rules).to.have.length(1);
    expect(rules[0].ports).to.deep.equal([{ port: 8003, protocol: 'TCP' }]);
    expect(rules[0].from).to.deep.equal([
      {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'portico', 'app.kubernetes.io/component': 'operator' },
        },
      },
    ]);
  });

  it('labels portico-system to enforce Pod Security restricted', () => {
    const ns = findObject(objects, 'Namespace', 'portico-system');
    expect(ns.metadata.labels).to.include({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });
});
