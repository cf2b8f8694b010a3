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
  /**
   * The objects the field examples are validated in, when `object` is too small for that, by field path ('' for
   * every other field): one that sets every object and list field, so that `spec.retryPolicy.numRetries` is
   * checked beside the retryOn it needs, and others for fields that exclude each other.
   */
  fieldHosts?: Record<string, Record<string, unknown>>;
}

const conditionTime = '2025-01-01T12:00:00Z';

/** A Mapping that sets every object and list field, with `loadBalancer` as given (its hash keys exclude each other). */
function mappingWithEveryField(loadBalancer: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'Mapping',
    metadata: { name: 'usersvc', namespace: 'default' },
    spec: {
      prefix: '/user/',
      service: 'usersvc',
      headers: [{ name: 'x-canary', value: '1' }],
      regexHeaders: [{ name: 'user-agent', pattern: '^Mozilla/.*' }],
      queryParameters: [{ name: 'debug', value: 'true' }],
      regexQueryParameters: [{ name: 'version', pattern: 'v[0-9]+' }],
      regexRewrite: { pattern: '^/user/(.*)$', substitution: '/\\1' },
      retryPolicy: { retryOn: ['5xx'] },
      addRequestHeaders: [{ name: 'x-source', value: 'portico' }],
      addResponseHeaders: [{ name: 'x-served-by', value: 'portico' }],
      cors: { origins: ['*'] },
      circuitBreakers: {},
      loadBalancer,
    },
  };
}

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
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: 'Accepted',
          observedGeneration: 1,
          lastTransitionTime: conditionTime,
        },
        {
          type: 'ResolvedRefs',
          status: 'True',
          reason: 'ResolvedRefs',
          message: 'Service default/usersvc port 80',
          observedGeneration: 1,
          lastTransitionTime: conditionTime,
        },
        {
          type: 'Programmed',
          status: 'True',
          reason: 'Programmed',
          message: 'Envoy config 3f2a9c01be',
          observedGeneration: 1,
          lastTransitionTime: conditionTime,
        },
      ],
    },
    fields: {
      'spec.prefix': ['/user/', '/'],
      'spec.service': ['usersvc', 'usersvc.default:8080', 'https://billing.payments:https'],
      'spec.rewrite': ['/', '', '/v2/'],
      'spec.host': ['api.example.com', '*.example.com'],
      'spec.prefixExact': [true],
      'spec.prefixRegex': [true],
      'spec.caseSensitive': [false],
      'spec.method': ['GET', 'POST'],
      'spec.headers': [[{ name: 'x-canary', value: '1' }, { name: 'x-debug' }]],
      'spec.headers[].name': ['x-canary'],
      'spec.headers[].value': ['1'],
      'spec.regexHeaders': [[{ name: 'user-agent', pattern: '^Mozilla/.*' }]],
      'spec.regexHeaders[].name': ['user-agent'],
      'spec.regexHeaders[].pattern': ['^Mozilla/.*'],
      'spec.queryParameters': [[{ name: 'debug', value: 'true' }]],
      'spec.queryParameters[].name': ['debug'],
      'spec.queryParameters[].value': ['true'],
      'spec.regexQueryParameters': [[{ name: 'version', pattern: 'v[0-9]+' }]],
      'spec.regexQueryParameters[].name': ['version'],
      'spec.regexQueryParameters[].pattern': ['v[0-9]+'],
      'spec.precedence': [10, -1],
      'spec.weight': [10, 0],
      'spec.shadow': [true],
      'spec.regexRewrite': [{ pattern: '^/user/([0-9]+)/?$', substitution: '/users/\\1' }],
      'spec.regexRewrite.pattern': ['^/user/([0-9]+)/?$'],
      'spec.regexRewrite.substitution': ['/users/\\1'],
      'spec.hostRewrite': ['users.internal', 'users.internal:8080'],
      'spec.timeout': ['3s', '500ms', '0s'],
      'spec.idleTimeout': ['5m'],
      'spec.connectTimeout': ['3s', '250ms'],
      'spec.retryPolicy': [{ retryOn: ['5xx'], numRetries: 3, perTryTimeout: '1s' }],
      'spec.retryPolicy.retryOn': [['5xx'], ['gateway-error', 'connect-failure']],
      'spec.retryPolicy.numRetries': [3],
      'spec.retryPolicy.perTryTimeout': ['1s'],
      'spec.addRequestHeaders': [
        [{ name: 'x-client-ip', value: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%', append: false }],
      ],
      'spec.addRequestHeaders[].name': ['x-client-ip'],
      'spec.addRequestHeaders[].value': ['%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%'],
      'spec.addRequestHeaders[].append': [false],
      'spec.addResponseHeaders': [[{ name: 'x-served-by', value: 'portico' }]],
      'spec.addResponseHeaders[].name': ['x-served-by'],
      'spec.addResponseHeaders[].value': ['portico'],
      'spec.addResponseHeaders[].append': [true],
      'spec.removeRequestHeaders': [['x-debug']],
      'spec.removeResponseHeaders': [['server']],
      'spec.cors': [{ origins: ['https://app.example.com'], methods: ['GET', 'POST'] }],
      'spec.cors.origins': [['https://app.example.com'], ['*']],
      'spec.cors.methods': [['GET', 'POST']],
      'spec.cors.headers': [['content-type']],
      'spec.cors.exposedHeaders': [['x-request-id']],
      'spec.cors.credentials': [true],
      'spec.cors.maxAge': ['24h'],
      'spec.allowUpgrade': [['websocket'], ['spdy/3.1']],
      'spec.circuitBreakers': [{ maxConnections: 100, maxPendingRequests: 10 }],
      'spec.circuitBreakers.maxConnections': [100],
      'spec.circuitBreakers.maxPendingRequests': [10],
      'spec.circuitBreakers.maxRequests': [100],
      'spec.circuitBreakers.maxRetries': [3],
      'spec.loadBalancer': [{ policy: 'LeastRequest' }, { policy: 'RingHash', header: 'x-user-id' }],
      'spec.loadBalancer.policy': ['RingHash', 'Maglev'],
      'spec.loadBalancer.cookie': [{ name: 'session', ttl: '1h' }],
      'spec.loadBalancer.cookie.name': ['session'],
      'spec.loadBalancer.cookie.path': ['/'],
      'spec.loadBalancer.cookie.ttl': ['1h'],
      'spec.loadBalancer.header': ['x-user-id'],
      'spec.loadBalancer.sourceIp': [true],
      'spec.grpc': [true],
    },
    fieldHosts: {
      '': mappingWithEveryField({ policy: 'RingHash', cookie: { name: 'session' } }),
      'spec.loadBalancer.header': mappingWithEveryField({ policy: 'Maglev' }),
      'spec.loadBalancer.sourceIp': mappingWithEveryField({ policy: 'Maglev' }),
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
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: 'Accepted',
          observedGeneration: 1,
          lastTransitionTime: conditionTime,
        },
        {
          type: 'ResolvedRefs',
          status: 'True',
          reason: 'ResolvedRefs',
          message: 'Secret default/example-tls',
          observedGeneration: 1,
          lastTransitionTime: conditionTime,
        },
        {
          type: 'Programmed',
          status: 'True',
          reason: 'Programmed',
          message: 'Envoy config 3f2a9c01be',
          observedGeneration: 1,
          lastTransitionTime: conditionTime,
        },
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
      'spec.from': [
        [{ kind: 'Mapping', namespace: 'shop' }],
        [
          { kind: 'TLSContext', namespace: 'shop' },
          { kind: 'TLSContext', namespace: 'blog' },
        ],
      ],
      'spec.from[].kind': ['Mapping', 'TLSContext'],
      'spec.from[].namespace': ['shop'],
      'spec.to': [
        [{ kind: 'Service', name: 'billing' }],
        [{ kind: 'Secret' }],
        [{ kind: 'Host', name: 'partner.example.com' }],
      ],
      'spec.to[].kind': ['Service', 'Secret', 'Host'],
      'spec.to[].name': ['billing', 'wildcard-tls', 'api.example.com', '*.example.com'],
    },
  },
};
