// Object fingerprints of a rendered config: a change to one object changes its fingerprint and no other one's,
// whether the config is fresh from the renderer or read back as the JSON published to its ConfigMap.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { Mapping, Secret, Service, TLSContext } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { servedObjectFingerprints } from '../../operator/reconcile/served-objects.js';
import { mapping as baseMapping, service as baseService, tlsContext } from '../support/objects.js';

// This file's objects: all in namespace default, each Mapping routing /<name>/ to Service svc unless told otherwise.
const mapping = (name: string, spec: Partial<Mapping['spec']> = {}, generation = 1): Mapping =>
  baseMapping('default', name, { prefix: `/${name}/`, service: 'svc', ...spec }, { generation });
const service = (name: string, port = 80): Service => baseService('default', name, { ports: [{ port }] });
const tls = (name: string, spec: Partial<TLSContext['spec']> = {}): TLSContext =>
  tlsContext('default', name, { hosts: [], secret: 'site', ...spec });

const NOW = '2030-01-01T00:00:00Z';
const certs = (
  yaml.loadAll(readFileSync(new URL('../golden/tls-host-conflicts/input.yaml', import.meta.url), 'utf8')) as Array<
    Secret & { kind?: string }
  >
).filter((d) => d?.kind === 'Secret');
const certData = (name: string) => certs.find((s) => s.metadata.name === name)!.data!;

const tlsSecret = (name: string, data: Record<string, string>): Secret => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'default' },
  type: 'kubernetes.io/tls',
  data,
});

interface World {
  mappings?: Mapping[];
  services?: Service[];
  tlsContexts?: TLSContext[];
  secrets?: Secret[];
}
const base: Required<World> = {
  mappings: [mapping('a'), mapping('b'), mapping('c', { service: 'other' })],
  services: [service('svc'), service('other')],
  tlsContexts: [tls('site')],
  secrets: [tlsSecret('site', certData('ab-cert'))],
};

function prints(w: World = {}) {
  const { ir } = compileSnapshot({ ...base, ...w, now: NOW });
  const config = renderEnvoyConfig(ir);
  return {
    fresh: servedObjectFingerprints(config.bootstrap, config.certFiles),
    readBack: servedObjectFingerprints(JSON.parse(config.json), config.certFiles),
  };
}

/** The keys whose fingerprint differs between two configs (present in either). */
function changed(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

describe('reconcile: what each object amounts to in a published config', () => {
  const before = prints();

  it('names every Mapping and TLSContext the config serves, the same fresh or read back from its JSON', () => {
    expect([...before.fresh.keys()].sort()).to.deep.equal([
      'Mapping/default/a',
      'Mapping/default/b',
      'Mapping/default/c',
      'TLSContext/default/site',
    ]);
    expect([...before.readBack]).to.deep.equal([...before.fresh]);
    expect(prints().fresh).to.deep.equal(before.fresh); // deterministic
  });

  const cases: Array<[string, World, string[]]> = [
    ['a new Mapping changes only itself', { mappings: [...base.mappings, mapping('d')] }, ['Mapping/default/d']],
    [
      'a changed prefix changes that Mapping only',
      { mappings: [mapping('a', { prefix: '/a2/' }), mapping('b'), mapping('c', { service: 'other' })] },
      ['Mapping/default/a'],
    ],
    [
      'a deleted Mapping leaves the others as they are',
      { mappings: [mapping('a'), mapping('c', { service: 'other' })] },
      ['Mapping/default/b'],
    ],
    [
      'a new generation that renders the same is the same',
      { mappings: [mapping('a', {}, 5), mapping('b'), mapping('c', { service: 'other' })] },
      [],
    ],
    [
      'a Service port change changes the Mappings that route to it',
      { services: [service('svc', 8080), service('other')] },
      ['Mapping/default/a', 'Mapping/default/b'],
    ],
    [
      'a rotated certificate changes its TLSContext, not the Mappings',
      { secrets: [tlsSecret('site', certData('bc-cert'))] },
      ['TLSContext/default/site'],
    ],
    [
      'a new minimum TLS version changes the TLSContext',
      { tlsContexts: [tls('site', { minTlsVersion: 'v1.3' })] },
      ['TLSContext/default/site'],
    ],
  ];
  for (const [what, w, expected] of cases) {
    it(what, () => {
      const after = prints(w);
      expect(changed(before.fresh, after.fresh)).to.deep.equal(expected);
      expect(changed(before.readBack, after.readBack)).to.deep.equal(expected);
    });
  }

  it('a host for a Mapping changes that Mapping (it moves to its own virtual host)', () => {
    const after = prints({
      mappings: [mapping('a', { host: 'a.example.com' }), mapping('b'), mapping('c', { service: 'other' })],
    });
    expect(changed(before.fresh, after.fresh)).to.deep.equal(['Mapping/default/a']);
  });

  it('redirecting a host to HTTPS changes its TLSContext and the Mappings no longer served in cleartext there', () => {
    const hosted = [mapping('a', { host: 'a.test' }), mapping('b'), mapping('c', { service: 'other' })];
    const plain = prints({ mappings: hosted, tlsContexts: [tls('site', { hosts: ['a.test'] })] });
    const redirect = prints({
      mappings: hosted,
      tlsContexts: [tls('site', { hosts: ['a.test'], redirectCleartext: true })],
    });
    expect(changed(plain.fresh, redirect.fresh)).to.deep.equal(['Mapping/default/a', 'TLSContext/default/site']);
  });

  it('removing the last TLSContext changes every Mapping too: they are no longer served over HTTPS', () => {
    const after = prints({ tlsContexts: [] });
    expect(changed(before.fresh, after.fresh)).to.deep.equal([
      'Mapping/default/a',
      'Mapping/default/b',
      'Mapping/default/c',
      'TLSContext/default/site',
    ]);
  });

  it('a change to what all objects share (the listeners) changes every fingerprint', () => {
    const { ir } = compileSnapshot({ ...base, now: NOW });
    const config = renderEnvoyConfig(ir);
    const edited = JSON.parse(config.json);
    edited.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.merge_slashes = false;
    const after = servedObjectFingerprints(edited, config.certFiles);
    expect(changed(before.fresh, after)).to.deep.equal([...before.fresh.keys()].sort());
  });

  it('a bootstrap without listeners (the placeholder) serves no object', () => {
    expect(servedObjectFingerprints({ static_resources: { listeners: [] } }, {}).size).to.equal(0);
    expect(servedObjectFingerprints(undefined, {}).size).to.equal(0);
  });
});
