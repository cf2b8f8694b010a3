// Tracing an Envoy rejection to the Mappings and TLSContexts it is about from a published bootstrap alone
// (operator/envoy-check/trace-bootstrap.ts), as portico dev does for the config the Deployment points at.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readManifests } from '../../operator/cli/manifest-files.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { traceInBootstrap } from '../../operator/envoy-check/trace-bootstrap.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
type Json = Record<string, any>;

function examplesBootstrap(): Json {
  const files = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(EXAMPLES, f));
  return renderEnvoyConfig(compileSnapshot({ ...readManifests(files), now: new Date().toISOString() }).ir)
    .bootstrap as Json;
}

const names = (message: string, b: object) =>
  traceInBootstrap(message, b).map((o) => `${o.kind}/${o.namespace}/${o.name}`);

describe('envoy-check: tracing a rejection in a published bootstrap', () => {
  const b = examplesBootstrap();
  const catchAll =
    b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts.at(-1);

  it('a route by its name, a cluster (defined or only referenced) by the Mappings whose routes use it', () => {
    expect(names("route 'default/usermapping': bad", b)).to.deep.equal(['Mapping/default/usermapping']);
    expect(names('cluster default_gruesvc_80: no healthy host', b)).to.deep.equal([
      'Mapping/default/apps-wildcard',
      'Mapping/default/gruemapping',
    ]);
    const broken = structuredClone(b);
    broken.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts
      .at(-1)
      .routes.push({ name: 'default/broken', match: { prefix: '/b/' }, route: { cluster: 'default_nosuch_80' } });
    expect(names("route: unknown cluster 'default_nosuch_80'", broken)).to.deep.equal(['Mapping/default/broken']);
    expect(names("route: unknown cluster 'default_nosuch_80'", b)).to.deep.equal([]);
  });

  it('a regex by the Mapping whose route holds it', () => {
    const re = structuredClone(b);
    re.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts
      .at(-1)
      .routes.push({
        name: 'team/regexy',
        match: { safe_regex: { regex: '((' } },
        route: { cluster: 'default_usersvc_80' },
      });
    expect(names('missing ): ((', re)).to.deep.equal(['Mapping/team/regexy']);
  });

  it('a certificate file, a filter chain and a server name by the TLSContext', () => {
    expect(
      names('Failed to load certificate chain from /etc/portico/certs/default_example-local-tls.crt', b),
    ).to.deep.equal(['TLSContext/default/example-tls']);
    expect(names('filter chain default/example-tls: invalid', b)).to.deep.equal(['TLSContext/default/example-tls']);
    expect(
      names("multiple filter chains with the same matching rules are defined: server name '*.example.local'", b),
    ).to.deep.equal(['TLSContext/default/example-tls']);
  });

  it("not the gateway's own routes and listeners", () => {
    expect(catchAll.routes.length).to.be.greaterThan(0);
    expect(names("route 'https-redirect' and route 'ready' on listener 'readiness'", b)).to.deep.equal([]);
  });
});
