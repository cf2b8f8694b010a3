// portico migrate's conversion (operator/migrate/), pure: every Emissary Mapping field is converted or dropped
// with its reason, what is written passes the Portico schema (and, with today's unsupported-field list, is served
// by compile/), Emissary's differing defaults are written out, and the annotation era is read from a Service.
import { expect } from 'chai';
import type { Mapping, Service } from '../../operator/api/types.js';
import { validateMappingObject } from '../../operator/api/validators.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { MigrateInputError, migrate, type SourceDocument } from '../../operator/migrate/index.js';
import { MAPPING_CONVERTERS } from '../../operator/migrate/mapping-fields.js';

const doc = (object: unknown, source = 'in.yaml:1'): SourceDocument => ({ object, source });
const v3 = (name: string, spec: Record<string, unknown>, namespace = 'default') =>
  doc({ apiVersion: 'getambassador.io/v3alpha1', kind: 'Mapping', metadata: { name, namespace }, spec });
const v2 = (name: string, spec: Record<string, unknown>) =>
  doc({ apiVersion: 'getambassador.io/v2', kind: 'Mapping', metadata: { name }, spec });
const ALL_SERVED = { unservedMappingFields: [] };
const notesOf = (r: ReturnType<typeof migrate>, i = 0) =>
  r.reports[i].notes.map((n) => `${n.outcome} ${n.field}: ${n.detail}`);

// The json names of Emissary's v3alpha1 MappingSpec (pkg/api/getambassador.io/v3alpha1/crd_mapping.go).
const EMISSARY_V3_FIELDS = [
  'ambassador_id',
  'prefix',
  'prefix_regex',
  'prefix_exact',
  'service',
  'add_request_headers',
  'add_response_headers',
  'add_linkerd_headers',
  'auto_host_rewrite',
  'case_sensitive',
  'dns_type',
  'docs',
  'enable_ipv4',
  'enable_ipv6',
  'circuit_breakers',
  'keepalive',
  'cors',
  'retry_policy',
  'respect_dns_ttl',
  'grpc',
  'host_redirect',
  'host_rewrite',
  'method',
  'method_regex',
  'outlier_detection',
  'path_redirect',
  'prefix_redirect',
  'regex_redirect',
  'redirect_response_code',
  'priority',
  'precedence',
  'cluster_tag',
  'remove_request_headers',
  'remove_response_headers',
  'resolver',
  'rewrite',
  'regex_rewrite',
  'shadow',
  'connect_timeout_ms',
  'cluster_idle_timeout_ms',
  'cluster_max_connection_lifetime_ms',
  'timeout_ms',
  'idle_timeout_ms',
  'tls',
  'health_checks',
  'use_websocket',
  'allow_upgrade',
  'weight',
  'bypass_auth',
  'auth_context_extensions',
  'bypass_error_response_overrides',
  'error_response_overrides',
  'modules',
  'host',
  'host_regex',
  'hostname',
  'headers',
  'regex_headers',
  'labels',
  'envoy_override',
  'load_balancer',
  'query_parameters',
  'regex_query_parameters',
  'stats_name',
  'v2ExplicitTLS',
  'v2BoolHeaders',
  'v2BoolQueryParameters',
];

describe('migrate: Emissary Mappings', () => {
  it("every field of Emissary's v3alpha1 Mapping is converted, or dropped with a reason of its own", () => {
    const generic = EMISSARY_V3_FIELDS.filter((f) => {
      if (['prefix', 'service', 'rewrite', 'host', 'hostname', 'ambassador_id'].includes(f) || f in MAPPING_CONVERTERS)
        return false;
      const r = migrate([v3('m', { prefix: '/a/', service: 's', [f]: { some: 'value' } })], ALL_SERVED);
      return notesOf(r).some((n) => n.includes('not a Mapping field Portico knows'));
    });
    expect(generic).to.deep.equal([]);
  });

  it('carries every field with a counterpart, converted, into a Mapping the Portico schema accepts', () => {
    const r = migrate(
      [
        v2('everything', {
          prefix: '/api/',
          service: 'api',
          rewrite: '/',
          host: 'api.example.com',
          method: 'get',
          headers: { 'x-canary': '1', 'x-debug': true },
          regex_headers: { 'user-agent': '^curl/.*' },
          query_parameters: { debug: 'true' },
          regex_query_parameters: { v: '[0-9]+' },
          precedence: 5,
          weight: 10,
          host_rewrite: 'api.internal',
          timeout_ms: 1500,
          idle_timeout_ms: 300000,
          connect_timeout_ms: 250,
          retry_policy: { retry_on: 'gateway-error', num_retries: 20, per_try_timeout: '0.5s' },
          add_request_headers: { 'x-a': 'b', 'x-c': { value: 'd', append: false } },
          add_response_headers: { 'x-served-by': { value: 'portico' } },
          remove_request_headers: 'x-secret',
          remove_response_headers: ['server'],
          cors: {
            origins: 'https://a.example.com,https://b.example.com',
            methods: 'GET, post',
            headers: ['content-type'],
            exposed_headers: ['x-id'],
            credentials: true,
            max_age: '86400',
          },
          use_websocket: true,
          circuit_breakers: [
            { max_connections: 100, max_retries: 3 },
            { priority: 'high', max_connections: 1 },
          ],
          load_balancer: { policy: 'ring_hash', cookie: { name: 'session', ttl: '1h' } },
          grpc: true,
          case_sensitive: false,
        }),
      ],
      ALL_SERVED,
    );
    const m = r.objects[0] as unknown as Mapping;
    expect(validateMappingObject(m)).to.deep.equal([]);
    expect(m.spec).to.deep.equal({
      prefix: '/api/',
      service: 'api:80',
      rewrite: '/',
      host: 'api.example.com',
      method: 'GET',
      headers: [{ name: 'x-canary', value: '1' }, { name: 'x-debug' }],
      regexHeaders: [{ name: 'user-agent', pattern: '^curl/.*' }],
      queryParameters: [{ name: 'debug', value: 'true' }],
      regexQueryParameters: [{ name: 'v', pattern: '[0-9]+' }],
      precedence: 5,
      weight: 10,
      hostRewrite: 'api.internal',
      timeout: '1500ms',
      idleTimeout: '5m',
      connectTimeout: '250ms',
      retryPolicy: { retryOn: ['gateway-error'], numRetries: 10, perTryTimeout: '500ms' },
      addRequestHeaders: [
        { name: 'x-a', value: 'b' },
        { name: 'x-c', value: 'd', append: false },
      ],
      addResponseHeaders: [{ name: 'x-served-by', value: 'portico' }],
      removeRequestHeaders: ['x-secret'],
      removeResponseHeaders: ['server'],
      cors: {
        origins: ['https://a.example.com', 'https://b.example.com'],
        methods: ['GET', 'POST'],
        headers: ['content-type'],
        exposedHeaders: ['x-id'],
        credentials: true,
        maxAge: '24h',
      },
      allowUpgrade: ['websocket'],
      circuitBreakers: { maxConnections: 100, maxRetries: 3 },
      loadBalancer: { policy: 'RingHash', cookie: { name: 'session', ttl: '1h' } },
      grpc: true,
      caseSensitive: false,
    });
    const notes = notesOf(r);
    expect(notes).to.include('changed timeout_ms: 1500 → timeout: 1500ms');
    expect(notes).to.include('changed headers.x-debug: true → headers: {name: x-debug} (present, with any value)');
    expect(notes).to.include("changed retry_policy.num_retries: 20 → retryPolicy.numRetries: 10 (Portico's maximum)");
    expect(notes).to.include(
      'dropped circuit_breakers[1]: priority high: Portico routes every request at the default priority',
    );
    expect(r.reports[0].notes.filter((n) => n.outcome === 'dropped')).to.have.length(1);
  });

  it("writes out Emissary's defaults where Portico's differ: the route timeout and the service port", () => {
    const r = migrate(
      [
        v3('quote', { hostname: '*', prefix: '/backend/', service: 'quote' }),
        v3('billing', { prefix: '/bill/', service: 'https://billing.payments' }),
      ],
      ALL_SERVED,
    );
    expect(r.objects.map((o) => (o as unknown as Mapping).spec)).to.deep.equal([
      { prefix: '/backend/', service: 'quote:80', timeout: '3s' },
      { prefix: '/bill/', service: 'https://billing.payments:443', timeout: '3s' },
    ]);
    expect(notesOf(r)).to.include(
      "changed (default) timeout_ms: Emissary's 3000 → timeout: 3s, written out (Portico's default is Envoy's 15s)",
    );
  });

  it('drops, and says so, what compile/ does not serve yet, so the operator accepts every Mapping written', () => {
    const services: Service[] = [
      { metadata: { name: 'quote', namespace: 'default' }, spec: { ports: [{ port: 80 }] } },
    ];
    const r = migrate([v3('quote', { prefix: '/q/', service: 'quote', timeout_ms: 5000, rewrite: '' })]);
    const compiled = compileSnapshot({
      mappings: r.objects as unknown as Mapping[],
      services,
      tlsContexts: [],
      secrets: [],
      now: '2030-01-01T00:00:00Z',
    });
    expect(compiled.statuses[0].conditions[0]).to.include({ type: 'Accepted', status: 'True' });
    expect(notesOf(r).filter((n) => n.startsWith('dropped'))).to.satisfy((d: string[]) =>
      d.every((n) => n.includes('not implemented by this version of Portico yet')),
    );
  });

  it('does not write a Mapping that lost part of its match: it would take requests from the Mappings that should get them', () => {
    // host.md's quote-backend-3: Portico has no host regex.
    const r = migrate([
      v3('quote-backend-3', {
        prefix: '/backend/',
        host: '^quote[2-9]\\.datawire\\.io$',
        host_regex: true,
        service: 'quote3',
      }),
    ]);
    expect(r.objects).to.deep.equal([]);
    expect(notesOf(r, 0).at(-1)).to.equal(
      'dropped (object): without host_regex, host it would match other requests than in Emissary (or take another share of them), and take them from the Mappings that should get them; nothing is written',
    );
  });

  it('reads hostnames as Emissary does: "*" is every host, "*.x" a wildcard, other globs cannot be carried', () => {
    const r = migrate(
      [
        v3('a', { prefix: '/a/', service: 's:80', hostname: '*.Example.com' }),
        v3('b', { prefix: '/b/', service: 's:80', hostname: 'api.*' }),
        v2('c', { prefix: '/c/', service: 's:80', host: 'x.example.com', host_regex: true }),
      ],
      ALL_SERVED,
    );
    expect((r.objects[0] as unknown as Mapping).spec.host).to.equal('*.example.com');
    expect(r.objects).to.have.length(1);
    expect(notesOf(r, 1)).to.include(
      'dropped hostname: api.* is not a host Portico can match (an exact host name or "*." followed by one)',
    );
    expect(notesOf(r, 2).some((n) => n.startsWith('dropped host: x.example.com: a regular expression'))).to.equal(true);
  });

  // Inputs after Emissary's own fixture pkg/api/getambassador.io/v3alpha1/testdata/mappings.yaml.
  it("Emissary's fixture values: defaults written as false are no-ops, an IP address is refused as Portico would", () => {
    const r = migrate(
      [
        v3('mapping-for-echo', { prefix: '/echo/', prefix_regex: false, auto_host_rewrite: false, service: 'echo' }),
        v3('devportal', { prefix: '/docs/', rewrite: '/docs/', service: '127.0.0.1:8500' }),
      ],
      ALL_SERVED,
    );
    expect(notesOf(r, 0)).to.include(
      'carried prefix_regex: false: the default of Emissary and Portico alike, nothing to write',
    );
    expect(r.reports[0].notes.every((n) => n.outcome !== 'dropped')).to.equal(true);
    expect(r.reports[1].to).to.deep.equal([]);
    expect(notesOf(r, 1)).to.include(
      'dropped service: 127.0.0.1:8500: Portico refuses it: expected name or name.namespace (other DNS names are not Services); nothing is written',
    );
  });

  it('warns that an external host name is read as a Service', () => {
    const r = migrate([v3('ext', { prefix: '/httpbin/', service: 'httpbin.org:80' })], ALL_SERVED);
    expect(notesOf(r)).to.include(
      'dropped service: httpbin.org:80 was the DNS name httpbin.org to Emissary; Portico reads it as Service httpbin in namespace org, so point an ExternalName Service there',
    );
    expect(r.objects).to.have.length(1);
  });
});

describe('migrate: the annotation era and TLS', () => {
  const annotated = (config: string) =>
    doc(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'httpbin', namespace: 'web', annotations: { 'getambassador.io/config': config } },
        spec: { ports: [{ port: 80 }] },
      },
      'svc.yaml:3',
    );

  it("reads ambassador/v0 and v1 documents from a Service annotation, in the Service's namespace", () => {
    const r = migrate(
      [
        annotated(
          '---\napiVersion: ambassador/v0\nkind: Mapping\nname: httpbin_mapping\nprefix: /httpbin/\nservice: httpbin\n---\napiVersion: ambassador/v1\nkind: TLSContext\nname: tls\nhosts: ["*"]\nsecret: ambassador-certs\n',
        ),
      ],
      ALL_SERVED,
    );
    expect(r.objects).to.deep.equal([
      {
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'Mapping',
        metadata: { name: 'httpbin-mapping', namespace: 'web' },
        spec: { prefix: '/httpbin/', service: 'httpbin:80', timeout: '3s' },
      },
      {
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'TLSContext',
        metadata: { name: 'tls', namespace: 'web' },
        spec: { secret: 'ambassador-certs', alpnProtocols: ['http/1.1'] },
      },
    ]);
    expect(r.reports.map((x) => x.source)).to.deep.equal([
      'svc.yaml:3 (Service web/httpbin, annotation getambassador.io/config, document 1)',
      'svc.yaml:3 (Service web/httpbin, annotation getambassador.io/config, document 2)',
    ]);
  });

  it('an annotation that is not YAML is unreadable input, with the line inside the annotation', () => {
    expect(() => migrate([annotated('apiVersion: ambassador/v0\nkind: Mapping\nprefix: [/x/\n')])).to.throw(
      MigrateInputError,
      /^svc\.yaml:3 \(Service web\/httpbin, annotation getambassador\.io\/config, line \d+\): /,
    );
  });

  it('a Host with a tlsSecret becomes a TLSContext that redirects cleartext, as the Host did by default', () => {
    const r = migrate([
      doc({
        apiVersion: 'getambassador.io/v3alpha1',
        kind: 'Host',
        metadata: { name: 'example', namespace: 'default' },
        spec: {
          hostname: 'Example.com',
          tlsSecret: { name: 'cert', namespace: 'certs' },
          acmeProvider: { authority: 'none' },
        },
      }),
    ]);
    expect(r.objects).to.deep.equal([
      {
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'TLSContext',
        metadata: { name: 'example', namespace: 'default' },
        spec: { hosts: ['example.com'], secret: 'cert.certs', redirectCleartext: true, alpnProtocols: ['http/1.1'] },
      },
    ]);
  });

  it("a TLSContext keeps versions and ALPN; client certificates are dropped as issue 18's", () => {
    const r = migrate([
      doc({
        apiVersion: 'getambassador.io/v2',
        kind: 'TLSContext',
        metadata: { name: 't' },
        spec: {
          hosts: ['a.example.com'],
          secret: 's',
          min_tls_version: 'v1.1',
          alpn_protocols: 'h2, http/1.1',
          ca_secret: 'ca',
          cert_required: true,
        },
      }),
    ]);
    expect((r.objects[0] as { spec: object }).spec).to.deep.equal({
      hosts: ['a.example.com'],
      secret: 's',
      minTlsVersion: 'v1.2',
      alpnProtocols: ['h2', 'http/1.1'],
    });
    expect(r.reports[0].notes.filter((n) => n.outcome === 'dropped').map((n) => n.field)).to.deep.equal([
      'ca_secret',
      'cert_required',
    ]);
  });

  it("kinds without a counterpart are reported as dropped; documents that are not Emissary's are left out", () => {
    const r = migrate([
      doc({ apiVersion: 'getambassador.io/v3alpha1', kind: 'AuthService', metadata: { name: 'auth' }, spec: {} }),
      doc({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }),
    ]);
    expect(r.objects).to.deep.equal([]);
    expect(r.ignored).to.equal(1);
    expect(notesOf(r)).to.deep.equal([
      'dropped (object): kind AuthService has no counterpart in Portico; nothing is written',
    ]);
  });
});
