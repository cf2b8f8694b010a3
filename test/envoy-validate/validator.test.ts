import { expect } from 'chai';
import { protoLoadStats, validateEnvoyBootstrap, validateMessage } from '../../operator/envoy-validate/index.js';
import { realisticBootstrap } from './realistic-bootstrap.js';

type Config = Record<string, any>;

const HCM = 'static_resources.listeners[0].filter_chains[0].filters[0].typed_config';
const ROUTES = `${HCM}.route_config.virtual_hosts[1].routes`;
const TLS = 'static_resources.listeners[1].filter_chains[0].transport_socket.typed_config';
const hcm = (b: Config) => b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
const routes = (b: Config) => hcm(b).route_config.virtual_hosts[1].routes;
const tls = (b: Config) => b.static_resources.listeners[1].filter_chains[0].transport_socket.typed_config;
const cluster = (b: Config, i = 0) => b.static_resources.clusters[i];

interface BrokenCase {
  name: string;
  mutate: (b: Config) => void;
  path: string;
  message: string; // a fragment of the expected message
}

const broken: BrokenCase[] = [
  // unknown fields
  {
    name: 'unknown field in a route match',
    mutate: (b) => (routes(b)[3].match.bogus = 1),
    path: `${ROUTES}[3].match.bogus`,
    message: 'unknown field "bogus" in envoy.config.route.v3.RouteMatch',
  },
  {
    name: 'unknown field with a dot in its name',
    mutate: (b) => (routes(b)[3].match['x.y'] = 1),
    path: `${ROUTES}[3].match["x.y"]`,
    message: 'unknown field "x.y"',
  },
  {
    name: 'unknown top-level field',
    mutate: (b) => (b.static_resource = {}),
    path: 'static_resource',
    message: 'unknown field "static_resource"',
  },
  {
    name: '@type outside an Any',
    mutate: (b) => (routes(b)[0].match['@type'] = 'x'),
    path: `${ROUTES}[0].match.@type`,
    message: 'only allowed in a google.protobuf.Any',
  },
  {
    name: 'same field in snake_case and lowerCamelCase',
    mutate: (b) => (cluster(b).connectTimeout = '2s'),
    path: 'static_resources.clusters[0].connectTimeout',
    message: 'field given twice',
  },
  // wrong JSON types
  {
    name: 'number for a string',
    mutate: (b) => (b.static_resources.listeners[0].name = 8080),
    path: 'static_resources.listeners[0].name',
    message: 'expected a string, got number 8080',
  },
  {
    name: 'bool for a uint32',
    mutate: (b) => (b.admin.address.socket_address.port_value = true),
    path: 'admin.address.socket_address.port_value',
    message: 'expected an integer (uint32)',
  },
  {
    name: 'fraction for a uint32',
    mutate: (b) => (b.admin.address.socket_address.port_value = 99.5),
    path: 'admin.address.socket_address.port_value',
    message: 'expected an integer (uint32)',
  },
  {
    name: 'negative uint32',
    mutate: (b) => (cluster(b).per_connection_buffer_limit_bytes = -1),
    path: 'static_resources.clusters[0].per_connection_buffer_limit_bytes',
    message: 'out of range for uint32',
  },
  {
    name: 'string for a BoolValue wrapper',
    mutate: (b) => (hcm(b).use_remote_address = 'yes'),
    path: `${HCM}.use_remote_address`,
    message: 'expected a boolean',
  },
  {
    name: 'string for a repeated field',
    mutate: (b) => (hcm(b).route_config.virtual_hosts[0].domains = 'api.example.com'),
    path: `${HCM}.route_config.virtual_hosts[0].domains`,
    message: 'expected an array',
  },
  {
    name: 'array for a message',
    mutate: (b) => (routes(b)[0].match = []),
    path: `${ROUTES}[0].match`,
    message: 'expected an object (envoy.config.route.v3.RouteMatch), got an array',
  },
  {
    name: 'word for an int64',
    mutate: (b) => (routes(b)[0].route.retry_policy = { host_selection_retry_max_attempts: 'three' }),
    path: `${ROUTES}[0].route.retry_policy.host_selection_retry_max_attempts`,
    message: 'expected an integer (int64)',
  },
  {
    name: 'int64 overflow',
    mutate: (b) => (routes(b)[0].route.retry_policy = { host_selection_retry_max_attempts: '9223372036854775808' }),
    path: `${ROUTES}[0].route.retry_policy.host_selection_retry_max_attempts`,
    message: 'out of range for int64',
  },
  {
    name: 'unknown enum name',
    mutate: (b) => (cluster(b).type = 'NOPE'),
    path: 'static_resources.clusters[0].type',
    message: 'unknown value "NOPE" for enum envoy.config.cluster.v3.Cluster.DiscoveryType',
  },
  {
    name: 'bool for an enum',
    mutate: (b) => (cluster(b).type = true),
    path: 'static_resources.clusters[0].type',
    message: 'expected an enum name (string) or number',
  },
  {
    name: 'bytes that are not base64',
    mutate: (b) => (routes(b)[4].direct_response.body = { inline_bytes: 'not base64!' }),
    path: `${ROUTES}[4].direct_response.body.inline_bytes`,
    message: 'base64',
  },
  {
    name: 'truncated base64',
    mutate: (b) => (routes(b)[4].direct_response.body = { inline_bytes: 'aGVsb' }),
    path: `${ROUTES}[4].direct_response.body.inline_bytes`,
    message: 'truncated',
  },
  {
    name: 'duration without unit',
    mutate: (b) => (routes(b)[0].route.timeout = '1.5'),
    path: `${ROUTES}[0].route.timeout`,
    message: 'invalid duration "1.5"',
  },
  {
    name: 'number for a duration',
    mutate: (b) => (routes(b)[0].route.timeout = 5),
    path: `${ROUTES}[0].route.timeout`,
    message: 'expected a duration string',
  },
  {
    name: 'string for a Struct',
    mutate: (b) => (hcm(b).access_log[0].typed_config.log_format.json_format = 'x'),
    path: `${HCM}.access_log[0].typed_config.log_format.json_format`,
    message: 'expected an object (google.protobuf.Struct)',
  },
  {
    name: 'array for a map',
    mutate: (b) => (cluster(b).typed_extension_protocol_options = []),
    path: 'static_resources.clusters[0].typed_extension_protocol_options',
    message: 'expected an object (map)',
  },
  {
    name: 'null inside a repeated field',
    mutate: (b) => (hcm(b).route_config.virtual_hosts[0].domains = [null]),
    path: `${HCM}.route_config.virtual_hosts[0].domains[0]`,
    message: 'null is not allowed in a repeated field',
  },
  // oneofs
  {
    name: 'two members of one oneof',
    mutate: (b) => (routes(b)[0].match = { prefix: '/a', path: '/b' }),
    path: `${ROUTES}[0].match.path`,
    message: 'oneof "path_specifier" already has "prefix" set',
  },
  {
    name: 'route and direct_response at once',
    mutate: (b) => (routes(b)[4].route = { cluster: 'x' }),
    path: `${ROUTES}[4].route`,
    message: 'oneof "action" already has "direct_response" set',
  },
  {
    name: 'required oneof left empty',
    mutate: (b) => (routes(b)[0].match = {}),
    path: `${ROUTES}[0].match`,
    message: 'exactly one of prefix, path, safe_regex',
  },
  // Any
  {
    name: 'Any whose @type does not resolve',
    mutate: (b) =>
      (hcm(b).http_filters[0].typed_config['@type'] = 'type.googleapis.com/envoy.extensions.filters.http.nope.v3.Nope'),
    path: `${HCM}.http_filters[0].typed_config`,
    message: 'does not resolve to a known message type',
  },
  {
    name: 'Any @type without a type URL prefix',
    mutate: (b) => (hcm(b).http_filters[0].typed_config['@type'] = 'envoy.extensions.filters.http.router.v3.Router'),
    path: `${HCM}.http_filters[0].typed_config`,
    message: 'does not resolve',
  },
  {
    name: 'Any @type with a partial message name',
    mutate: (b) => (hcm(b).http_filters[0].typed_config['@type'] = 'type.googleapis.com/v3.Router'),
    path: `${HCM}.http_filters[0].typed_config`,
    message: 'does not resolve',
  },
  {
    name: 'Any without @type',
    mutate: (b) => delete hcm(b).http_filters[0].typed_config['@type'],
    path: `${HCM}.http_filters[0].typed_config`,
    message: 'missing "@type"',
  },
  {
    name: 'Any payload checked against its type',
    mutate: (b) => (hcm(b).http_filters[0].typed_config.bogus = true),
    path: `${HCM}.http_filters[0].typed_config.bogus`,
    message: 'unknown field "bogus" in envoy.extensions.filters.http.router.v3.Router',
  },
  {
    name: 'TypedStruct payload checked against its type_url',
    mutate: (b) =>
      (hcm(b).http_filters[0].typed_config = {
        '@type': 'type.googleapis.com/xds.type.v3.TypedStruct',
        type_url: 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
        value: { bogus: 1 },
      }),
    path: `${HCM}.http_filters[0].typed_config.value.bogus`,
    message: 'unknown field "bogus"',
  },
  // protoc-gen-validate rules
  {
    name: 'message.required',
    mutate: (b) => delete routes(b)[0].match,
    path: `${ROUTES}[0].match`,
    message: 'is required',
  },
  {
    name: 'string.min_len',
    mutate: (b) => (routes(b)[0].route.cluster = ''),
    path: `${ROUTES}[0].route.cluster`,
    message: 'at least 1 characters (min_len)',
  },
  {
    name: 'string.min_len on an absent field',
    mutate: (b) => delete b.static_resources.listeners[0].filter_chains[0].filters[0].name,
    path: 'static_resources.listeners[0].filter_chains[0].filters[0].name',
    message: 'is required (the default value fails: length must be at least 1 characters (min_len))',
  },
  {
    name: 'string.well_known_regex HTTP_HEADER_NAME (non-strict)',
    mutate: (b) => (routes(b)[0].request_headers_to_remove = ['x-ok', 'bad\nheader']),
    path: `${ROUTES}[0].request_headers_to_remove[1]`,
    message: 'not a valid HTTP_HEADER_NAME',
  },
  {
    name: 'repeated.items.string.min_len',
    mutate: (b) => (routes(b)[0].request_headers_to_remove = ['']),
    path: `${ROUTES}[0].request_headers_to_remove[0]`,
    message: 'min_len',
  },
  {
    name: 'string.in',
    mutate: (b) => (hcm(b).scheme_header_transformation = { scheme_to_overwrite: 'ftp' }),
    path: `${HCM}.scheme_header_transformation.scheme_to_overwrite`,
    message: 'must be one of "http", "https"',
  },
  {
    name: 'string.pattern',
    mutate: (b) => (routes(b)[0].match = { path_separated_prefix: '/api/' }),
    path: `${ROUTES}[0].match.path_separated_prefix`,
    message: 'does not match pattern',
  },
  {
    name: 'repeated.min_items',
    mutate: (b) => (hcm(b).route_config.virtual_hosts[0].domains = []),
    path: `${HCM}.route_config.virtual_hosts[0].domains`,
    message: 'at least 1 items (min_items), got 0',
  },
  {
    name: 'repeated.max_items',
    mutate: (b) =>
      (routes(b)[0].request_headers_to_add = Array.from({ length: 1001 }, (_, i) => ({
        header: { key: `x-h${i}`, value: 'v' },
      }))),
    path: `${ROUTES}[0].request_headers_to_add`,
    message: 'at most 1000 items (max_items), got 1001',
  },
  {
    name: 'uint32.lte',
    mutate: (b) => (b.admin.address.socket_address.port_value = 70000),
    path: 'admin.address.socket_address.port_value',
    message: 'less than or equal to 65535',
  },
  {
    name: 'uint32 range gte/lt',
    mutate: (b) => (routes(b)[5].direct_response.status = 99),
    path: `${ROUTES}[5].direct_response.status`,
    message: 'greater than or equal to 200 and less than 600',
  },
  {
    name: 'uint64.lte on a UInt64Value wrapper given as a string',
    mutate: (b) =>
      Object.assign(cluster(b), { lb_policy: 'RING_HASH', ring_hash_lb_config: { maximum_ring_size: '9000000' } }),
    path: 'static_resources.clusters[0].ring_hash_lb_config.maximum_ring_size',
    message: 'less than or equal to 8388608',
  },
  {
    name: 'enum.defined_only',
    mutate: (b) => (cluster(b).type = 42),
    path: 'static_resources.clusters[0].type',
    message: 'not a defined enum value (defined_only)',
  },
  {
    name: 'enum.not_in on an absent enum',
    mutate: (b) =>
      (tls(b).common_tls_context.validation_context = {
        match_typed_subject_alt_names: [{ matcher: { exact: 'spiffe://x' } }],
      }),
    path: `${TLS}.common_tls_context.validation_context.match_typed_subject_alt_names[0].san_type`,
    message: 'must not be SAN_TYPE_UNSPECIFIED',
  },
  {
    name: 'duration.gt',
    mutate: (b) => (cluster(b).dns_refresh_rate = '0.001s'),
    path: 'static_resources.clusters[0].dns_refresh_rate',
    message: 'must be greater than 0.001s',
  },
  {
    name: 'duration.lt',
    mutate: (b) => (tls(b).session_timeout = '4294967296s'),
    path: `${TLS}.session_timeout`,
    message: 'less than 4294967296s',
  },
  {
    name: 'duration.required',
    mutate: (b) =>
      (cluster(b).health_checks = [
        { interval: '5s', unhealthy_threshold: 3, healthy_threshold: 1, http_health_check: { path: '/healthz' } },
      ]),
    path: 'static_resources.clusters[0].health_checks[0].timeout',
    message: 'is required',
  },
  {
    name: 'any.required',
    mutate: (b) =>
      (routes(b)[0].match = { path_match_policy: { name: 'envoy.path.match.uri_template.uri_template_matcher' } }),
    path: `${ROUTES}[0].match.path_match_policy.typed_config`,
    message: 'is required',
  },
  {
    name: 'map.keys.string.min_len',
    mutate: (b) => (cluster(b).metadata = { filter_metadata: { '': {} } }),
    path: 'static_resources.clusters[0].metadata.filter_metadata[""]',
    message: 'map key length must be at least 1',
  },
];

describe('envoy/validate: validateEnvoyBootstrap', () => {
  it('accepts a realistic Portico bootstrap (HTTP, HTTPS with SNI, readiness, STRICT_DNS clusters, access logs)', () => {
    expect(validateEnvoyBootstrap(realisticBootstrap())).to.deep.equal([]);
  });

  it('loads the protos once and reports the load', () => {
    validateEnvoyBootstrap({});
    const stats = protoLoadStats();
    expect(stats.files).to.be.greaterThan(200);
    expect(stats.loadMs).to.be.a('number');
    expect(protoLoadStats()).to.equal(stats);
  });

  describe('rejects each deliberately broken config with its JSON path', () => {
    for (const c of broken) {
      it(c.name, () => {
        const b = realisticBootstrap();
        c.mutate(b);
        const errors = validateEnvoyBootstrap(b);
        expect(errors, JSON.stringify(errors, null, 1)).to.have.length(1);
        expect(errors[0].path).to.equal(c.path);
        expect(errors[0].message).to.contain(c.message);
      });
    }
  });

  it('reports every problem in one pass, in document order', () => {
    const b = realisticBootstrap();
    routes(b)[0].match.bogus = 1;
    cluster(b, 1).type = 'NOPE';
    expect(validateEnvoyBootstrap(b).map((e) => e.path)).to.deep.equal([
      `${ROUTES}[0].match.bogus`,
      'static_resources.clusters[1].type',
    ]);
  });

  describe('accepts the other spellings proto3 JSON allows', () => {
    const valid: { name: string; mutate: (b: Config) => void }[] = [
      {
        name: 'lowerCamelCase field names',
        mutate: (b) => {
          b.staticResources = b.static_resources;
          delete b.static_resources;
          const c = b.staticResources.clusters[0];
          c.connectTimeout = c.connect_timeout;
          delete c.connect_timeout;
          b.admin.address.socketAddress = { address: '127.0.0.1', portValue: 9901 };
          delete b.admin.address.socket_address;
        },
      },
      {
        name: 'quoted integers and enum numbers',
        mutate: (b) => {
          b.admin.address.socket_address.port_value = '9901';
          cluster(b).type = 1;
          routes(b)[0].route.retry_policy = { host_selection_retry_max_attempts: 3, num_retries: '2' };
        },
      },
      {
        name: 'int64 as a string',
        mutate: (b) => (routes(b)[0].route.retry_policy = { host_selection_retry_max_attempts: '9223372036854775807' }),
      },
      { name: 'null for an unset field', mutate: (b) => (cluster(b).dns_refresh_rate = null) },
      {
        name: 'durations with fractions and negative zero-padding',
        mutate: (b) => (routes(b)[0].route.timeout = '0.000000001s'),
      },
      { name: 'bytes in base64', mutate: (b) => (routes(b)[4].direct_response.body = { inline_bytes: 'aGVsbG8=' }) },
      {
        name: 'an Any holding a well-known type',
        mutate: (b) =>
          (routes(b)[0].typed_per_filter_config = {
            'envoy.filters.http.x': { '@type': 'type.googleapis.com/google.protobuf.Duration', value: '1s' },
          }),
      },
      {
        name: 'a deprecated field (a warning, not an error)',
        mutate: (b) => (cluster(b).max_requests_per_connection = 5),
      },
    ];
    for (const c of valid) {
      it(c.name, () => {
        const b = realisticBootstrap();
        c.mutate(b);
        expect(validateEnvoyBootstrap(b)).to.deep.equal([]);
      });
    }
  });

  it('warns about deprecated fields through validateMessage', () => {
    const b = realisticBootstrap();
    cluster(b).max_requests_per_connection = 5;
    const report = validateMessage('envoy.config.bootstrap.v3.Bootstrap', b);
    expect(report.errors).to.deep.equal([]);
    expect(report.warnings).to.deep.equal([
      {
        path: 'static_resources.clusters[0].max_requests_per_connection',
        message: 'field "max_requests_per_connection" is deprecated in envoy.config.cluster.v3.Cluster',
      },
    ]);
  });

  it('warns about deprecated enum values', () => {
    const report = validateMessage('envoy.config.core.v3.ApiConfigSource', {
      api_type: 'GRPC',
      transport_api_version: 'V2',
    });
    expect(report.errors).to.deep.equal([]);
    expect(report.warnings).to.deep.equal([
      { path: 'transport_api_version', message: 'enum value V2 of envoy.config.core.v3.ApiVersion is deprecated' },
    ]);
  });

  it('rejects fields Envoy disallows by default', () => {
    const report = validateMessage('envoy.config.trace.v3.DynamicOtConfig', { library: '/lib/tracer.so' });
    expect(report.errors).to.deep.equal([
      {
        path: 'library',
        message: 'field "library" is disallowed by default (deprecated; Envoy rejects it without a runtime override)',
      },
    ]);
  });

  it('validates a config with 10,000 routes without errors', () => {
    expect(validateEnvoyBootstrap(realisticBootstrap(10_000))).to.deep.equal([]);
  });

  it('rejects a non-object root', () => {
    expect(validateEnvoyBootstrap([])).to.deep.equal([
      { path: '', message: 'expected an object (envoy.config.bootstrap.v3.Bootstrap), got an array' },
    ]);
  });
});

describe('envoy/validate: well-known types through validateMessage', () => {
  const table: { type: string; json: unknown; error?: string }[] = [
    { type: 'google.protobuf.Timestamp', json: '2024-02-29T12:00:00.5Z' },
    { type: 'google.protobuf.Timestamp', json: '2023-02-29T12:00:00Z', error: 'invalid timestamp' },
    { type: 'google.protobuf.Timestamp', json: 1700000000, error: 'expected an RFC 3339 timestamp' },
    { type: 'google.protobuf.FieldMask', json: 'staticResources.clusters,admin' },
    { type: 'google.protobuf.FieldMask', json: 'a,,b', error: 'invalid field mask' },
    { type: 'google.protobuf.Empty', json: {} },
    { type: 'google.protobuf.Empty', json: { x: 1 }, error: 'unknown field "x" in google.protobuf.Empty' },
    { type: 'google.protobuf.Struct', json: { a: [1, { b: null }] } },
    { type: 'google.protobuf.ListValue', json: {}, error: 'expected an array' },
    { type: 'google.protobuf.Value', json: null },
    { type: 'google.protobuf.UInt32Value', json: 4294967296, error: 'out of range for uint32' },
    { type: 'google.protobuf.DoubleValue', json: 'Infinity' },
    { type: 'google.protobuf.StringValue', json: 5, error: 'expected a string' },
    { type: 'google.protobuf.Duration', json: '-315576000001s', error: 'out of range' },
    { type: 'google.protobuf.Duration', json: '1.0000000001s', error: 'invalid duration' },
  ];
  for (const row of table) {
    it(`${row.type} ${JSON.stringify(row.json)} ${row.error ? 'is rejected' : 'is accepted'}`, () => {
      const { errors } = validateMessage(row.type, row.json);
      if (row.error) {
        expect(errors).to.have.length(1);
        expect(errors[0].message).to.contain(row.error);
      } else expect(errors).to.deep.equal([]);
    });
  }

  it('throws for an unknown root type name', () => {
    expect(() => validateMessage('envoy.nope.Nope', {})).to.throw('unknown message type envoy.nope.Nope');
  });
});
