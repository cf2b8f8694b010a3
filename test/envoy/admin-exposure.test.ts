// The Envoy admin interface is never reachable from outside the pod, asserted on generated configs (the golden
// inputs, the examples and hostile ExternalName Services): admin binds 127.0.0.1 only; no listener is on the
// admin port; the only routes to the admin cluster are GET /ready on the readiness listener and GET /stats on the
// stats listener (read by the operator; the NetworkPolicy admits only it); no other cluster
// points at loopback, link-local or metadata addresses; every HTTP connection manager normalises paths.
import { expect } from 'chai';
import type { Mapping, Service } from '../../operator/api/types.js';
import { readManifests } from '../../operator/cli/manifest-files.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { ADMIN_CLUSTER, ADMIN_PORT } from '../../operator/envoy/constants.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { GOLDEN_DIR, GOLDEN_NOW, caseFiles, goldenCases, hasInput } from '../golden/render-case.js';
import { join } from 'node:path';

type Json = any;

/** Every violation of the admin-exposure rules in one bootstrap ([] = safe). */
export function adminExposure(bootstrap: Json): string[] {
  const problems: string[] = [];
  const admin = bootstrap.admin?.address?.socket_address;
  if (admin?.address !== '127.0.0.1') problems.push(`admin binds ${admin?.address}`);
  for (const l of bootstrap.static_resources.listeners) {
    const sa = l.address.socket_address;
    if (sa.port_value === ADMIN_PORT) problems.push(`listener ${l.name} on the admin port`);
    for (const fc of l.filter_chains) {
      for (const f of fc.filters) {
        const hcm = f.typed_config;
        if (!hcm?.route_config) continue;
        if (
          hcm.normalize_path !== true ||
          hcm.merge_slashes !== true ||
          hcm.path_with_escaped_slashes_action !== 'UNESCAPE_AND_REDIRECT'
        )
          problems.push(`listener ${l.name}: path normalisation off`);
        for (const vh of hcm.route_config.virtual_hosts) {
          for (const r of vh.routes) {
            const cluster = r.route?.cluster;
            const toAdmin =
              cluster === ADMIN_CLUSTER ||
              (r.route?.weighted_clusters?.clusters ?? []).some((c: Json) => c.name === ADMIN_CLUSTER);
            if (!toAdmin) continue;
            const onlyGet = (listener: string, path: string) =>
              l.name === listener &&
              JSON.stringify(r.match) ===
                JSON.stringify({ path, headers: [{ name: ':method', string_match: { exact: 'GET' } }] }) &&
              r.route.prefix_rewrite === undefined &&
              r.route.regex_rewrite === undefined;
            if (!onlyGet('readiness', '/ready') && !onlyGet('stats', '/stats'))
              problems.push(`listener ${l.name} route ${r.name} reaches the admin cluster`);
          }
        }
      }
    }
  }
  for (const c of bootstrap.static_resources.clusters) {
    if (c.name === ADMIN_CLUSTER) continue;
    for (const e of c.load_assignment.endpoints.flatMap((x: Json) => x.lb_endpoints)) {
      const addr = String(e.endpoint.address.socket_address.address).toLowerCase();
      if (/^(localhost|127\.|0\.0\.0\.0|::1?$|\[::1\]|169\.254\.|metadata)/.test(addr) || addr.endsWith('.localhost'))
        problems.push(`cluster ${c.name} points at ${addr}`);
    }
  }
  return problems;
}

function renderFiles(paths: string[], now = GOLDEN_NOW): Json {
  const { ir } = compileSnapshot({ ...readManifests(paths), now });
  return renderEnvoyConfig(ir).bootstrap;
}

describe('security: the Envoy admin interface is private', function () {
  this.timeout(60_000);

  for (const name of goldenCases().filter(hasInput)) {
    it(`golden ${name}: no admin exposure`, () =>
      expect(adminExposure(renderFiles(caseFiles(name)))).to.deep.equal([]));
  }

  it('the examples: no admin exposure', () => {
    expect(
      adminExposure(renderFiles([join(GOLDEN_DIR, '..', '..', 'examples')], new Date().toISOString())),
    ).to.deep.equal([]);
  });

  it('the check itself catches exposure (admin on 0.0.0.0, a route to the admin cluster, a loopback cluster)', () => {
    const b = renderFiles([join(GOLDEN_DIR, 'seed', 'input.yaml')]);
    const exposed = structuredClone(b);
    exposed.admin.address.socket_address.address = '0.0.0.0';
    expect(adminExposure(exposed)).to.deep.equal(['admin binds 0.0.0.0']);
    const routed = structuredClone(b);
    routed.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route =
      { cluster: ADMIN_CLUSTER };
    expect(adminExposure(routed)).to.have.length(1);
    const loop = structuredClone(b);
    loop.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address =
      '127.0.0.1';
    expect(adminExposure(loop)).to.have.length(1);
  });

  const hostile = [
    'localhost',
    'LOCALHOST.',
    'admin.localhost',
    '127.0.0.1',
    '127.9.9.9',
    '0.0.0.0',
    '::1',
    '[::1]',
    '169.254.169.254',
    'fe80::1',
    'metadata.google.internal',
    // as resolvers read them (issue 19 §2)
    '127.1',
    '0x7f.0.0.1',
    '2130706433',
    '::ffff:127.0.0.1',
    '100.100.100.200',
    'fd00:ec2::254',
    'kubernetes.default.svc.cluster.local',
  ];
  it('ExternalName Services are refused by default, whatever they point at', () => {
    const services: Service[] = [
      {
        metadata: { name: 'ok', namespace: 'default' },
        spec: { type: 'ExternalName', externalName: 'api.example.com', ports: [{ port: 443 }] },
      },
    ];
    const mappings: Mapping[] = [
      {
        apiVersion: 'portico.dev/v1alpha1',
        kind: 'Mapping',
        metadata: { name: 'm', namespace: 'default' },
        spec: { prefix: '/p/', service: 'ok' },
      },
    ];
    const { ir, statuses } = compileSnapshot({ mappings, tlsContexts: [], services, secrets: [], now: GOLDEN_NOW });
    expect(statuses[0].conditions[1]).to.include({ status: 'False', reason: 'RefNotPermitted' });
    expect(ir.clusters).to.deep.equal([]);
  });

  it(`with ExternalName Services allowed, ${hostile.length} loopback/link-local/metadata/API-server names are refused (RefNotPermitted, 503), a normal one is served`, () => {
    const services: Service[] = [
      ...hostile.map((h, i): Service => ({
        metadata: { name: `evil${i}`, namespace: 'default' },
        spec: { type: 'ExternalName', externalName: h, ports: [{ port: ADMIN_PORT }] },
      })),
      {
        metadata: { name: 'ok', namespace: 'default' },
        spec: { type: 'ExternalName', externalName: 'api.example.com', ports: [{ port: 443 }] },
      },
    ];
    const mappings: Mapping[] = services.map((s, i) => ({
      apiVersion: 'portico.dev/v1alpha1',
      kind: 'Mapping',
      metadata: { name: `m${i}`, namespace: 'default' },
      spec: { prefix: `/p${i}/`, service: s.metadata.name },
    }));
    const { ir, statuses } = compileSnapshot(
      { mappings, tlsContexts: [], services, secrets: [], now: GOLDEN_NOW },
      { externalNameServices: 'allow' },
    );
    const bootstrap = renderEnvoyConfig(ir).bootstrap as Json;
    expect(validateEnvoyBootstrap(bootstrap)).to.deep.equal([]);
    expect(adminExposure(bootstrap)).to.deep.equal([]);
    hostile.forEach((h, i) => {
      const refs = statuses.find((s) => s.ref.name === `m${i}`)!.conditions.find((c) => c.type === 'ResolvedRefs')!;
      expect(refs, h).to.include({ status: 'False', reason: 'RefNotPermitted' });
      expect(refs.message).to.match(/^spec\.service: Service default\/evil\d+ is an ExternalName for /);
    });
    expect(ir.clusters.map((c) => c.address)).to.deep.equal(['api.example.com.']); // absolute: no search domains
  });
});
