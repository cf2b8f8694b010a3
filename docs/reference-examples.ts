// Hand-written example values for docs/reference.md. The schema (crds/*.yaml) gives everything else: types,
// defaults, constraints, descriptions. test/docs/reference.test.ts checks that every spec field has an example
// here and that every example passes the CRD schema, so a new field cannot ship undocumented.

export interface KindExamples {
  /** A complete, valid object, shown at the top of the kind's section. */
  object: Record<string, unknown>;
  /** A status as the operator writes it (read-only for users); absent for kinds without a status. */
  status?: Record<string, unknown>;
  /**
   * Example values per field path (`spec.prefix`, `spec.from[].kind` for every item of a list); each is shown and
   * validated in place of the object's value.
   */
  fields: Record<string, unknown[]>;
}

const conditionTime = '2025-01-01T12:00:00Z';

export const EXAMPLES: Record<string, KindExamples> = {
  Mapping: {
    object: {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: { name: 'usersvc', namespace: 'default' },
      spec: { prefix: '/user/', service: 'usersvc' },
    },
    status: {
      observedGeneration: 1,
      conditions: [
        { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Accepted', observedGeneration: 1, lastTransitionTime: conditionTime },
        { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'Service default/usersvc port 80', observedGeneration: 1, lastTransitionTime: conditionTime },
        { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'Envoy config 3f2a9c01be', observedGeneration: 1, lastTransitionTime: conditionTime },
      ],
    },
    fields: {
      'spec.prefix': ['/user/', '/'],
      'spec.service': ['usersvc', 'usersvc.default:8080', 'https://billing.payments:https'],
      'spec.rewrite': ['/', '', '/v2/'],
      'spec.host': ['api.example.com', '*.example.com'],
    },
  },
  TLSContext: {
    object: {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'TLSContext',
      metadata: { name: 'example-tls', namespace: 'default' },
      spec: { hosts: ['example.com'], secret: 'example-tls', redirectCleartext: true },
    },
    status: {
      observedGeneration: 1,
      notAfter: '2026-01-01T00:00:00Z',
      conditions: [
        { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Accepted', observedGeneration: 1, lastTransitionTime: conditionTime },
        { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'Secret default/example-tls', observedGeneration: 1, lastTransitionTime: conditionTime },
        { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'Envoy config 3f2a9c01be', observedGeneration: 1, lastTransitionTime: conditionTime },
      ],
    },
    fields: {
      'spec.hosts': [['example.com', '*.example.com'], []],
      'spec.secret': ['example-tls', 'example-tls.certs'],
      'spec.redirectCleartext': [true],
      'spec.minTlsVersion': ['v1.2'],
      'spec.maxTlsVersion': ['v1.3'],
      'spec.alpnProtocols': [['h2', 'http/1.1'], ['http/1.1']],
    },
  },
  PorticoReferenceGrant: {
    object: {
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'PorticoReferenceGrant',
      metadata: { name: 'shop-may-use-billing', namespace: 'payments' },
      spec: { from: [{ kind: 'Mapping', namespace: 'shop' }], to: [{ kind: 'Service', name: 'billing' }] },
    },
    fields: {
      'spec.from': [[{ kind: 'Mapping', namespace: 'shop' }], [{ kind: 'TLSContext', namespace: 'shop' }, { kind: 'TLSContext', namespace: 'blog' }]],
      'spec.from[].kind': ['Mapping', 'TLSContext'],
      'spec.from[].namespace': ['shop'],
      'spec.to': [[{ kind: 'Service', name: 'billing' }], [{ kind: 'Secret' }], [{ kind: 'Host', name: 'partner.example.com' }]],
      'spec.to[].kind': ['Service', 'Secret', 'Host'],
      'spec.to[].name': ['billing', 'wildcard-tls', 'api.example.com', '*.example.com'],
    },
  },
};
