// Measures proto loading and validation time on synthetic bootstraps with many routes.
// Run: npx tsx test/envoy-validate/measure-validation.ts [routes...]   (not part of the test suite)
import { protoLoadStats, validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { realisticBootstrap } from './realistic-bootstrap.js';

/** A route as a busy gateway would emit it: header and query matchers, rewrites, retries, headers. */
function heavyRoute(i: number): object {
  return {
    name: `ns-${i % 50}/mapping-${i}`,
    match: {
      prefix: `/team-${i % 50}/service-${i}/`,
      case_sensitive: true,
      headers: [{ name: 'x-tenant', string_match: { exact: `tenant-${i % 13}` } }],
      query_parameters: [{ name: 'version', string_match: { prefix: 'v' } }],
    },
    route: {
      cluster: `svc-${i % 7}_default_80`,
      regex_rewrite: { pattern: { regex: `^/team-${i % 50}/service-${i}/(.*)$` }, substitution: '/\\1' },
      timeout: '15s',
      idle_timeout: '300s',
      retry_policy: {
        retry_on: 'gateway-error,connect-failure',
        num_retries: 3,
        per_try_timeout: '2.5s',
        retry_back_off: { base_interval: '0.025s', max_interval: '0.25s' },
      },
      hash_policy: [{ header: { header_name: 'x-user' } }],
    },
    request_headers_to_add: [
      { header: { key: 'x-portico-mapping', value: `mapping-${i}` }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
    ],
    response_headers_to_remove: ['server'],
    metadata: { filter_metadata: { portico: { namespace: `ns-${i % 50}`, name: `mapping-${i}` } } },
  };
}

const first = performance.now();
validateEnvoyBootstrap(realisticBootstrap());
console.log(
  `first validation (includes proto load): ${(performance.now() - first).toFixed(0)} ms; load ${protoLoadStats().loadMs} ms, ${protoLoadStats().files} files requested`,
);

const counts = process.argv.slice(2).map(Number);
for (const n of counts.length ? counts : [10_000, 50_000]) {
  const config = realisticBootstrap(0);
  config.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[1].routes.unshift(
    ...Array.from({ length: n }, (_, i) => heavyRoute(i)),
  );
  const json = JSON.stringify(config);
  const parsed = JSON.parse(json);
  const times: number[] = [];
  let errors = 0;
  for (let rep = 0; rep < 5; rep++) {
    const t = performance.now();
    errors = validateEnvoyBootstrap(parsed).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${n} routes, ${(json.length / 1e6).toFixed(1)} MB JSON: median ${times[2].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, ${errors} errors`,
  );
}
