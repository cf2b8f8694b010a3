// A published bootstrap → xDS resources: route configs move to RDS under names of their own, certificate pairs
// to SDS (no key left in a listener), each type versioned by its content, and every resource encodes with
// Envoy's descriptors and decodes back to what was rendered.
import { expect } from 'chai';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { xdsSnapshotOf, PublishedConfigError } from '../../operator/xds/published-resources.js';
import { XdsTypes } from '../../operator/xds/resource-types.js';
import { messageType, convertMessage, encodeMessage, EncodeError } from '../../operator/xds/proto-encode.js';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { Secret } from '../../operator/api/types.js';

const NOW = '2030-01-01T00:00:00Z';
const certs = (
  yaml.loadAll(readFileSync(new URL('../golden/tls-host-conflicts/input.yaml', import.meta.url), 'utf8')) as Array<
    Secret & { kind?: string }
  >
).filter((d) => d?.kind === 'Secret');
const certData = certs.find((s) => s.metadata.name === 'ab-cert')!.data!;

describe('xds: published config → xDS resources', function () {
  this.timeout(60_000);
  const config = (mappings: Array<{ name: string; prefix: string }>) =>
    renderEnvoyConfig(
      compileSnapshot({
        mappings: mappings.map((m) => ({
          apiVersion: 'portico.dev/v1alpha1',
          kind: 'Mapping',
          metadata: { namespace: 'default', name: m.name, generation: 1 },
          spec: { prefix: m.prefix, service: 'svc' },
        })),
        services: [{ metadata: { name: 'svc', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }],
        tlsContexts: [
          {
            apiVersion: 'portico.dev/v1alpha1',
            kind: 'TLSContext',
            metadata: { name: 'a-tls', namespace: 'default', generation: 1 },
            spec: { hosts: [], secret: 'site' },
          },
        ],
        secrets: [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'site', namespace: 'default' },
            type: 'kubernetes.io/tls',
            data: certData,
          },
        ],
        now: NOW,
      }).ir,
    );

  it('moves every inline route config to RDS and every certificate pair to SDS', function () {
    const c = config([{ name: 'a', prefix: '/a/' }]);
    const s = xdsSnapshotOf(c.hash, c.bootstrap, c.certFiles);
    const listeners = [...s.types[XdsTypes.listener].resources.values()];
    expect(listeners.map((l) => l.name).sort()).to.deep.equal(['http', 'https', 'readiness', 'stats']);
    const text = listeners.map((l) => l.text).join('\n');
    expect(text).to.not.include('route_config"');
    expect(text).to.not.include('PRIVATE KEY');
    expect(text).to.not.include('/etc/portico/certs');
    const routes = s.types[XdsTypes.route].resources;
    expect([...routes.keys()].sort()).to.deep.equal([
      'http/default',
      'https/default/a-tls',
      'readiness/default',
      'stats/default',
    ]);
    for (const [name, r] of routes) expect(r.json.name).to.equal(name);
    const secrets = [...s.types[XdsTypes.secret].resources.values()];
    expect(secrets).to.have.length(1);
    expect(JSON.stringify(secrets[0].json)).to.include('PRIVATE KEY');
    expect([...s.types[XdsTypes.cluster].resources.keys()]).to.include('default_svc_80');
  });

  it('versions each type by its content: a new route leaves CDS, LDS and SDS at their versions', function () {
    const one = config([{ name: 'a', prefix: '/a/' }]);
    const two = config([
      { name: 'a', prefix: '/a/' },
      { name: 'b', prefix: '/b/' },
    ]);
    const s1 = xdsSnapshotOf(one.hash, one.bootstrap, one.certFiles);
    const s2 = xdsSnapshotOf(two.hash, two.bootstrap, two.certFiles);
    for (const t of [XdsTypes.cluster, XdsTypes.listener, XdsTypes.secret])
      expect(s2.types[t].version, t).to.equal(s1.types[t].version);
    expect(s2.types[XdsTypes.route].version).to.not.equal(s1.types[XdsTypes.route].version);
    expect(xdsSnapshotOf(one.hash, one.bootstrap, one.certFiles).types[XdsTypes.route].version).to.equal(
      s1.types[XdsTypes.route].version,
    );
  });

  it('encodes every resource with Envoy’s descriptors and decodes it back to the rendered JSON', function () {
    const c = config([{ name: 'a', prefix: '/a/' }]);
    const s = xdsSnapshotOf(c.hash, c.bootstrap, c.certFiles);
    for (const [typeUrl, set] of Object.entries(s.types)) {
      const type = messageType(typeUrl);
      for (const r of set.resources.values()) {
        const bytes = type.encode(type.fromObject(convertMessage(type, r.json, r.name) as never)).finish();
        const back = type.toObject(type.decode(bytes), { enums: String, longs: Number });
        expect(back.name, `${typeUrl} ${r.name}`).to.equal(r.name);
      }
    }
    const cluster = s.types[XdsTypes.cluster].resources.get('default_svc_80')!;
    const type = messageType(XdsTypes.cluster);
    const back = type.toObject(type.decode(encodeMessage('envoy.config.cluster.v3.Cluster', cluster.json)), {
      enums: String,
      longs: Number,
    }) as Record<string, any>;
    expect(back.connect_timeout).to.deep.equal({ seconds: 3, nanos: 0 });
    expect(back.type).to.equal('STRICT_DNS');
    expect(back.per_connection_buffer_limit_bytes).to.deep.equal({ value: 32768 });
  });

  it('says which field is wrong when a value does not fit its type', function () {
    expect(() =>
      encodeMessage('envoy.config.cluster.v3.Cluster', { name: 'x', connect_timeout: '3 seconds' }),
    ).to.throw(EncodeError, 'envoy.config.cluster.v3.Cluster.connect_timeout: expected a duration');
    expect(() => encodeMessage('envoy.config.cluster.v3.Cluster', { name: 'x', no_such_field: 1 })).to.throw(
      EncodeError,
      'no_such_field: no such field',
    );
    expect(() => encodeMessage('envoy.config.cluster.v3.Cluster', { name: 'x', type: 'NOPE' })).to.throw(
      EncodeError,
      '"NOPE" is not a value of DiscoveryType',
    );
  });

  it('refuses a published config naming a certificate file it does not contain, naming the listener and field', function () {
    const c = config([{ name: 'a', prefix: '/a/' }]);
    expect(() => xdsSnapshotOf(c.hash, c.bootstrap, {})).to.throw(
      PublishedConfigError,
      /listener https filter_chains\[0\]\.transport_socket.*tls_certificates\[0\] names \/etc\/portico\/certs\//,
    );
  });
});
