import { expect } from 'chai';
import {
  applyStrategicMergePatch,
  strategicMergeSupported,
  PatchError,
} from '../../../operator/apiserver/patch/index.js';
import { kubectlLocalPatch } from './kubectl-local.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    labels: { app: 'web', tier: 'fe' },
    annotations: { [LAST_APPLIED]: '{"old":true}\n' },
    finalizers: ['a.example/f', 'b.example/f'],
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            args: ['--a', '--b'],
            env: [
              { name: 'X', value: '1' },
              { name: 'Y', value: '2' },
            ],
            ports: [
              { containerPort: 8080, name: 'http' },
              { containerPort: 9090, name: 'metrics' },
            ],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
          { name: 'sidecar', image: 'side:1' },
        ],
        volumes: [
          { name: 'data', emptyDir: {} },
          { name: 'cfg', configMap: { name: 'c' } },
        ],
        tolerations: [{ key: 'k1', operator: 'Exists' }],
        imagePullSecrets: [{ name: 'regcred' }],
      },
    },
  },
};

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    selector: { app: 'web' },
    ports: [
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'admin', port: 9000, targetPort: 9000, protocol: 'TCP' },
    ],
  },
};

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'default' },
  data: { a: '1', b: '2' },
};
const clusterRole = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'r' },
  rules: [
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
  ],
};
const roleBinding = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: 'rb', namespace: 'default' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
  subjects: [{ kind: 'ServiceAccount', name: 'a', namespace: 'default' }],
};
const serviceAccount = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'sa', namespace: 'default' },
  secrets: [{ name: 's1' }],
};
const pdb = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'p', namespace: 'default' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
};

const pod = (patch: object) => ({ spec: { template: { spec: patch } } });

// Patches shaped like the ones kubectl 1.32 client-side apply computes (three-way diff against the
// last-applied annotation), plus the directive corner cases.
const cases: { name: string; doc: object; patch: object }[] = [
  {
    name: 'changed image: containers merged by name, $setElementOrder keeps the order',
    doc: deployment,
    patch: {
      metadata: { annotations: { [LAST_APPLIED]: '{"new":true}\n' } },
      ...pod({
        '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
        containers: [{ name: 'app', image: 'app:2' }],
      }),
    },
  },
  {
    name: 'container removed with $patch: delete',
    doc: deployment,
    patch: pod({
      '$setElementOrder/containers': [{ name: 'app' }],
      containers: [{ $patch: 'delete', name: 'sidecar' }],
    }),
  },
  {
    name: 'container added first via $setElementOrder',
    doc: deployment,
    patch: pod({
      '$setElementOrder/containers': [{ name: 'init' }, { name: 'app' }, { name: 'sidecar' }],
      containers: [{ name: 'init', image: 'init:1' }],
    }),
  },
  {
    name: 'container added without $setElementOrder goes in front (apimachinery ordering)',
    doc: deployment,
    patch: pod({ containers: [{ name: 'new', image: 'n:1' }] }),
  },
  {
    name: 'env var removed and another changed, env merged by name',
    doc: deployment,
    patch: pod({
      '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
      containers: [
        {
          name: 'app',
          '$setElementOrder/env': [{ name: 'X' }, { name: 'Z' }],
          env: [
            { $patch: 'delete', name: 'Y' },
            { name: 'X', value: '10' },
            { name: 'Z', value: '3' },
          ],
        },
      ],
    }),
  },
  {
    name: 'ports merged by containerPort, volumeMounts by mountPath',
    doc: deployment,
    patch: pod({
      containers: [
        {
          name: 'app',
          ports: [{ containerPort: 8080, name: 'web' }, { containerPort: 7070 }],
          volumeMounts: [{ mountPath: '/cfg', name: 'cfg' }],
        },
      ],
    }),
  },
  {
    name: 'atomic lists (args, tolerations) are replaced',
    doc: deployment,
    patch: pod({ containers: [{ name: 'app', args: ['--c'] }], tolerations: [{ key: 'k2', operator: 'Exists' }] }),
  },
  {
    name: 'strategy switched to Recreate with $retainKeys',
    doc: deployment,
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
  },
  {
    name: 'volume source swapped with $retainKeys on the item',
    doc: deployment,
    patch: pod({
      '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cfg' }],
      volumes: [{ $retainKeys: ['name', 'secret'], name: 'cfg', secret: { secretName: 's' } }],
    }),
  },
  {
    name: 'label removed with null, another added',
    doc: deployment,
    patch: { metadata: { labels: { tier: null, env: 'prod' } } },
  },
  {
    name: 'null for a field that does not exist is ignored',
    doc: deployment,
    patch: { metadata: { labels: { nope: null } }, spec: { paused: null } },
  },
  {
    name: 'finalizer added (primitive merge list)',
    doc: deployment,
    patch: { metadata: { finalizers: ['c.example/f'] } },
  },
  {
    name: 'finalizer removed with $deleteFromPrimitiveList and order set',
    doc: deployment,
    patch: {
      metadata: {
        '$deleteFromPrimitiveList/finalizers': ['a.example/f'],
        '$setElementOrder/finalizers': ['b.example/f'],
      },
    },
  },
  {
    name: '$patch: replace on a map',
    doc: deployment,
    patch: { spec: { template: { metadata: { labels: { $patch: 'replace', app: 'web', v: '2' } } } } },
  },
  {
    name: '$patch: replace item in a merge list',
    doc: deployment,
    patch: pod({ containers: [{ $patch: 'replace' }, { name: 'only', image: 'o:1' }] }),
  },
  { name: '$patch: delete on a map empties it', doc: deployment, patch: { spec: { selector: { $patch: 'delete' } } } },
  { name: 'imagePullSecrets merged by name', doc: deployment, patch: pod({ imagePullSecrets: [{ name: 'other' }] }) },
  {
    name: 'Service: port changed and added, merged by port',
    doc: service,
    patch: {
      spec: {
        '$setElementOrder/ports': [{ port: 80 }, { port: 443 }, { port: 9000 }],
        ports: [
          { port: 80, targetPort: 8081 },
          { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
        ],
      },
    },
  },
  {
    name: 'Service: port removed',
    doc: service,
    patch: { spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ $patch: 'delete', port: 9000 }] } },
  },
  { name: 'ConfigMap: key changed, key removed', doc: configMap, patch: { data: { a: '10', b: null, c: '3' } } },
  {
    name: 'ClusterRole: rules are atomic',
    doc: clusterRole,
    patch: { rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] },
  },
  {
    name: 'RoleBinding: subjects are atomic',
    doc: roleBinding,
    patch: { subjects: [{ kind: 'ServiceAccount', name: 'b', namespace: 'default' }] },
  },
  { name: 'ServiceAccount: secrets merged by name', doc: serviceAccount, patch: { secrets: [{ name: 's2' }] } },
  {
    name: 'PodDisruptionBudget: minAvailable → maxUnavailable',
    doc: pdb,
    patch: { spec: { minAvailable: null, maxUnavailable: 1 } },
  },
  { name: 'unknown $patch directive in a map', doc: deployment, patch: { metadata: { $patch: 'merge' } } },
  {
    name: '$retainKeys that omits a patched key',
    doc: deployment,
    patch: { spec: { strategy: { $retainKeys: ['x'], type: 'Recreate' } } },
  },
  { name: 'merge-list item without its merge key', doc: deployment, patch: pod({ containers: [{ image: 'x' }] }) },
];

describe('apiserver/patch: strategic merge patch matches kubectl patch --local --type strategic', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const patch = c.patch;
      const kind = (c.doc as { kind: string }).kind;
      const real = await kubectlLocalPatch(c.doc, 'strategic', patch);
      const before = JSON.stringify(c.doc);
      if (real.ok) {
        expect(applyStrategicMergePatch(c.doc, patch, kind)).to.deep.equal(real.object);
      } else {
        let err: unknown;
        try {
          applyStrategicMergePatch(c.doc, patch, kind);
        } catch (e) {
          err = e;
        }
        expect(err, `kubectl refused: ${real.error}`).to.be.instanceOf(PatchError);
        expect((err as PatchError).code).to.equal(400);
        expect((err as PatchError).message).to.equal(real.error);
      }
      expect(JSON.stringify(c.doc)).to.equal(before, 'the input must not be modified');
    });
  }
});

describe('apiserver/patch: strategic merge patch on custom resources', () => {
  it('is refused with 415 UnsupportedMediaType and the real message', () => {
    const mapping = {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: { name: 'm' },
      spec: { prefix: '/a/' },
    };
    let err: PatchError | undefined;
    try {
      applyStrategicMergePatch(mapping, { spec: { prefix: '/b/' } }, 'Mapping');
    } catch (e) {
      err = e as PatchError;
    }
    expect(err?.code).to.equal(415);
    expect(err?.reason).to.equal('UnsupportedMediaType');
    expect(err?.message).to.equal(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('strategicMergeSupported tells built-ins from CRs, also a CR that reuses a built-in kind name', () => {
    expect(strategicMergeSupported('Deployment')).to.equal(true);
    expect(strategicMergeSupported('Deployment', 'apps/v1')).to.equal(true);
    expect(strategicMergeSupported('Deployment', 'example.com/v1')).to.equal(false);
    expect(strategicMergeSupported('Mapping', 'portico.dev/v1alpha1')).to.equal(false);
    expect(strategicMergeSupported('CustomResourceDefinition', 'apiextensions.k8s.io/v1')).to.equal(true);
  });
});
