// The rendered RBAC, read the way the RBAC authorizer reads it: what the operator's ServiceAccount may and may
// not do. The request-attribute mapping used by the integration test (rbac-coverage.test.ts) is checked here too.
import { expect } from 'chai';
import { renderKustomization, type K8sObject } from './render-manifests.js';
import { requestAttributes, type ResourceAttributes } from './rbac/request-attributes.js';
import { authorize, grantsFor, type Grant } from './rbac/rbac-authorizer.js';

const SA = { namespace: 'portico-system', name: 'portico-operator' };

describe('manifests: RBAC policy', () => {
  describe('request → RBAC attributes', () => {
    const cases: Array<[string, string, Partial<ResourceAttributes>]> = [
      [
        'GET',
        '/apis/portico.dev/v1alpha1/mappings',
        { verb: 'list', apiGroup: 'portico.dev', resource: 'mappings', namespace: '' },
      ],
      [
        'GET',
        '/apis/portico.dev/v1alpha1/mappings?watch=true&resourceVersion=5',
        { verb: 'watch', resource: 'mappings' },
      ],
      [
        'PUT',
        '/apis/portico.dev/v1alpha1/namespaces/default/mappings/m1/status',
        { verb: 'update', resource: 'mappings', subresource: 'status', namespace: 'default', name: 'm1' },
      ],
      [
        'PATCH',
        '/api/v1/namespaces/portico-system/configmaps/portico-envoy-abc?fieldManager=portico',
        { verb: 'patch', apiGroup: '', resource: 'configmaps', name: 'portico-envoy-abc' },
      ],
      [
        'DELETE',
        '/api/v1/namespaces/portico-system/secrets/portico-certs-abc',
        { verb: 'delete', resource: 'secrets' },
      ],
      ['DELETE', '/api/v1/namespaces/portico-system/secrets', { verb: 'deletecollection', resource: 'secrets' }],
      [
        'POST',
        '/apis/coordination.k8s.io/v1/namespaces/portico-system/leases',
        { verb: 'create', apiGroup: 'coordination.k8s.io', resource: 'leases', name: '' },
      ],
      ['GET', '/api/v1/namespaces/default', { verb: 'get', resource: 'namespaces', name: 'default', namespace: '' }],
      // list/watch with fieldSelector metadata.name=<n> name the object, as the API server's request-info does
      [
        'GET',
        '/apis/apps/v1/namespaces/portico-system/deployments?fieldSelector=metadata.name%3Dportico-envoy&watch=true',
        { verb: 'watch', name: 'portico-envoy' },
      ],
      [
        'GET',
        '/apis/apps/v1/namespaces/portico-system/deployments?fieldSelector=metadata.name%3Dportico-envoy',
        { verb: 'list', name: 'portico-envoy' },
      ],
      [
        'GET',
        '/apis/apps/v1/namespaces/portico-system/deployments?fieldSelector=metadata.namespace%3Dx',
        { verb: 'list', name: '' },
      ],
    ];
    for (const [method, url, expected] of cases) {
      it(`${method} ${url}`, () => {
        const a = requestAttributes(method, url);
        expect(a.kind).to.equal('resource');
        expect(a).to.deep.include(expected);
      });
    }
    it('discovery paths are non-resource requests', () => {
      for (const url of ['/version', '/api', '/apis', '/apis/portico.dev/v1alpha1', '/api/v1']) {
        expect(requestAttributes('GET', url).kind, url).to.equal('nonResource');
      }
    });
  });

  describe('what the operator ServiceAccount may do', () => {
    let grants: Grant[];
    before(async () => {
      grants = grantsFor((await renderKustomization('manifests')) as K8sObject[] as any, SA);
    });
    const allowed = (method: string, url: string) =>
      authorize(grants, requestAttributes(method, url) as ResourceAttributes) !== undefined;

    it('reads its inputs in every namespace', () => {
      expect(allowed('GET', '/apis/portico.dev/v1alpha1/mappings?watch=true')).to.equal(true);
      expect(allowed('GET', '/apis/portico.dev/v1alpha1/tlscontexts')).to.equal(true);
      expect(allowed('GET', '/api/v1/services?watch=1')).to.equal(true);
      expect(allowed('GET', '/api/v1/namespaces/team-a/secrets?fieldSelector=metadata.name%3Dtls&watch=true')).to.equal(
        true,
      );
    });

    it('writes Mapping status but never a Mapping spec', () => {
      expect(allowed('PUT', '/apis/portico.dev/v1alpha1/namespaces/team-a/mappings/m/status')).to.equal(true);
      expect(allowed('PUT', '/apis/portico.dev/v1alpha1/namespaces/team-a/mappings/m')).to.equal(false);
      expect(allowed('DELETE', '/apis/portico.dev/v1alpha1/namespaces/team-a/mappings/m')).to.equal(false);
    });

    it('writes Secrets and ConfigMaps only in portico-system', () => {
      expect(allowed('PATCH', '/api/v1/namespaces/portico-system/secrets/portico-certs-1')).to.equal(true);
      expect(allowed('POST', '/api/v1/namespaces/portico-system/configmaps')).to.equal(true);
      expect(allowed('PATCH', '/api/v1/namespaces/team-a/secrets/tls')).to.equal(false);
      expect(allowed('DELETE', '/api/v1/namespaces/team-a/configmaps/x')).to.equal(false);
      expect(allowed('POST', '/api/v1/namespaces/team-a/secrets')).to.equal(false);
    });

    it('patches only the portico-envoy Deployment and holds only its own Lease', () => {
      expect(allowed('PATCH', '/apis/apps/v1/namespaces/portico-system/deployments/portico-envoy')).to.equal(true);
      expect(allowed('PATCH', '/apis/apps/v1/namespaces/portico-system/deployments/portico-operator')).to.equal(false);
      expect(allowed('PATCH', '/apis/apps/v1/namespaces/team-a/deployments/portico-envoy')).to.equal(false);
      expect(allowed('PUT', '/apis/coordination.k8s.io/v1/namespaces/portico-system/leases/portico-leader')).to.equal(
        true,
      );
      expect(allowed('PUT', '/apis/coordination.k8s.io/v1/namespaces/portico-system/leases/other')).to.equal(false);
    });

    it('cannot touch RBAC, pods or namespaces', () => {
      expect(allowed('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')).to.equal(false);
      expect(allowed('GET', '/api/v1/pods')).to.equal(false);
      expect(allowed('DELETE', '/api/v1/namespaces/team-a')).to.equal(false);
    });

    it('watches the Envoy Deployment by name, the pods and ReplicaSets of its own namespace, and EndpointSlices everywhere, read-only', () => {
      expect(
        allowed(
          'GET',
          '/apis/apps/v1/namespaces/portico-system/deployments?fieldSelector=metadata.name%3Dportico-envoy&watch=true',
        ),
      ).to.equal(true);
      expect(allowed('GET', '/apis/apps/v1/namespaces/portico-system/deployments?watch=true')).to.equal(false);
      expect(
        allowed(
          'GET',
          '/apis/apps/v1/namespaces/portico-system/deployments?fieldSelector=metadata.name%3Dportico-operator',
        ),
      ).to.equal(false);
      expect(allowed('GET', '/api/v1/namespaces/portico-system/pods?labelSelector=app%3Dx&watch=true')).to.equal(true);
      expect(allowed('GET', '/apis/apps/v1/namespaces/portico-system/replicasets?watch=true')).to.equal(true);
      expect(allowed('GET', '/api/v1/namespaces/team-a/pods')).to.equal(false);
      expect(allowed('GET', '/api/v1/namespaces/portico-system/pods/portico-envoy-x')).to.equal(false);
      expect(allowed('DELETE', '/api/v1/namespaces/portico-system/pods/portico-envoy-x')).to.equal(false);
      expect(allowed('PATCH', '/apis/apps/v1/namespaces/portico-system/replicasets/portico-envoy-x')).to.equal(false);
      expect(allowed('GET', '/apis/discovery.k8s.io/v1/namespaces/portico-system/endpointslices?watch=true')).to.equal(
        true,
      );
      // Every namespace: the statistics count each mapped Service's ready pods (healthy_members).
      expect(allowed('GET', '/apis/discovery.k8s.io/v1/endpointslices?watch=true')).to.equal(true);
      expect(
        allowed('PUT', '/apis/discovery.k8s.io/v1/namespaces/portico-system/endpointslices/portico-envoy-x'),
      ).to.equal(false);
      expect(allowed('DELETE', '/apis/discovery.k8s.io/v1/namespaces/team-a/endpointslices/x')).to.equal(false);
      expect(
        allowed('GET', '/apis/discovery.k8s.io/v1/namespaces/team-a/endpointslices/x'),
        'list and watch only',
      ).to.equal(false);
    });
  });
});
