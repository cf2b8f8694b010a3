// A realistic Portico-shaped Envoy bootstrap, built fresh on each call so tests can break a copy.
const router = () => ({
  name: 'envoy.filters.http.router',
  typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
});

const accessLog = () => [
  {
    name: 'envoy.access_loggers.stdout',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
      log_format: {
        json_format: {
          start: '%START_TIME%',
          method: '%REQ(:METHOD)%',
          path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
          status: '%RESPONSE_CODE%',
        },
      },
    },
  },
  {
    name: 'envoy.access_loggers.file',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog',
      path: '/dev/stdout',
      log_format: { json_format: { upstream: '%UPSTREAM_HOST%', duration: '%DURATION%' }, omit_empty_values: true },
    },
  },
];

function route(i: number): object {
  return {
    name: `default/route-${i}`,
    match: { prefix: `/svc-${i}/` },
    route: { cluster: `svc-${i % 7}_default_80`, prefix_rewrite: '/', timeout: '15s' },
  };
}

export function httpConnectionManager(routes: object[]): object {
  return {
    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    stat_prefix: 'ingress_http',
    codec_type: 'AUTO',
    use_remote_address: true,
    normalize_path: true,
    merge_slashes: true,
    access_log: accessLog(),
    http_filters: [router()],
    route_config: {
      name: 'portico_http',
      virtual_hosts: [
        {
          name: 'api.example.com',
          domains: ['api.example.com', 'api.example.com:*'],
          routes: [
            { match: { prefix: '/user/' }, route: { cluster: 'usersvc_default_80', prefix_rewrite: '/' } },
            {
              match: { safe_regex: { regex: '^/v[0-9]+/items$' } },
              route: {
                cluster: 'gruesvc_default_8080',
                regex_rewrite: { pattern: { regex: '^/v[0-9]+/' }, substitution: '/' },
                retry_policy: { retry_on: '5xx', num_retries: 2, per_try_timeout: '0.5s' },
              },
            },
          ],
        },
        {
          name: 'wildcard',
          domains: ['*'],
          routes: [
            ...routes,
            { match: { prefix: '/grue/' }, route: { cluster: 'gruesvc_default_8080', prefix_rewrite: '/grue/' } },
            {
              match: { path: '/missing' },
              direct_response: { status: 503, body: { inline_string: 'no healthy upstream' } },
            },
            { match: { prefix: '/' }, direct_response: { status: 404 } },
          ],
        },
      ],
    },
  };
}

function cluster(name: string, host: string, port: number): object {
  return {
    name,
    type: 'STRICT_DNS',
    connect_timeout: '5s',
    dns_lookup_family: 'V4_ONLY',
    lb_policy: 'ROUND_ROBIN',
    load_assignment: {
      cluster_name: name,
      endpoints: [
        { lb_endpoints: [{ endpoint: { address: { socket_address: { address: host, port_value: port } } } }] },
      ],
    },
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        explicit_http_config: { http_protocol_options: {} },
        common_http_protocol_options: { idle_timeout: '3600s', max_requests_per_connection: 1000 },
      },
    },
  };
}

function tlsContext(name: string): object {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
      common_tls_context: {
        tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' },
        alpn_protocols: ['h2', 'http/1.1'],
        tls_certificates: [
          {
            certificate_chain: { filename: `/etc/portico/certs/${name}.crt` },
            private_key: { filename: `/etc/portico/certs/${name}.key` },
          },
        ],
      },
    },
  };
}

export function realisticBootstrap(extraRoutes = 3): Record<string, any> {
  const routes = Array.from({ length: extraRoutes }, (_, i) => route(i));
  return {
    node: { id: 'portico-envoy', cluster: 'portico' },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: 9901 } } },
    layered_runtime: {
      layers: [{ name: 'static', static_layer: { 'overload.global_downstream_max_connections': 50000 } }],
    },
    static_resources: {
      listeners: [
        {
          name: 'http',
          address: { socket_address: { address: '0.0.0.0', port_value: 8080 } },
          filter_chains: [
            {
              filters: [
                { name: 'envoy.filters.network.http_connection_manager', typed_config: httpConnectionManager(routes) },
              ],
            },
          ],
        },
        {
          name: 'https',
          address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
          listener_filters: [
            {
              name: 'envoy.filters.listener.tls_inspector',
              typed_config: {
                '@type': 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector',
              },
            },
          ],
          filter_chains: [
            {
              filter_chain_match: { server_names: ['api.example.com', '*.example.org'] },
              transport_socket: tlsContext('default-example-tls'),
              filters: [
                { name: 'envoy.filters.network.http_connection_manager', typed_config: httpConnectionManager([]) },
              ],
            },
            {
              transport_socket: tlsContext('default-fallback-tls'),
              filters: [
                { name: 'envoy.filters.network.http_connection_manager', typed_config: httpConnectionManager([]) },
              ],
            },
          ],
        },
        {
          name: 'ready',
          address: { socket_address: { address: '0.0.0.0', port_value: 8002 } },
          filter_chains: [
            {
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typed_config: {
                    '@type':
                      'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                    stat_prefix: 'ready',
                    http_filters: [router()],
                    route_config: {
                      virtual_hosts: [
                        {
                          name: 'ready',
                          domains: ['*'],
                          routes: [
                            { match: { path: '/ready' }, route: { cluster: 'admin', prefix_rewrite: '/ready' } },
                          ],
                        },
                      ],
                    },
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        cluster('usersvc_default_80', 'usersvc.default.svc.cluster.local', 80),
        cluster('gruesvc_default_8080', 'gruesvc.default.svc.cluster.local', 8080),
        ...Array.from({ length: 7 }, (_, i) =>
          cluster(`svc-${i}_default_80`, `svc-${i}.default.svc.cluster.local`, 80),
        ),
        {
          name: 'admin',
          type: 'STATIC',
          connect_timeout: '1s',
          load_assignment: {
            cluster_name: 'admin',
            endpoints: [
              {
                lb_endpoints: [
                  { endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 9901 } } } },
                ],
              },
            ],
          },
        },
      ],
    },
  };
}
