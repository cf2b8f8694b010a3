// Property tests (fast-check) over random snapshots: compileSnapshot never throws, every rendered config passes
// the Envoy proto validator, and the result does not depend on input order (byte-identical json and statuses).
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { Mapping, PorticoReferenceGrant, Secret, Service, TLSContext } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import type { Snapshot } from '../../operator/compile/types.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { validateEnvoyBootstrap } from '../../operator/envoy/validate/index.js';

// Test-only certificates (valid, expired, mismatched, wrong type, …) from the TLS golden case.
const fixtureSecrets = (yaml.loadAll(readFileSync(new URL('../golden/tls-sni-redirect/input.yaml', import.meta.url), 'utf8')) as Array<Secret & { kind?: string }>).filter(
  (d) => d?.kind === 'Secret',
);

const namespaces = ['default', 'team-a'];
const names = ['a', 'b', 'c', 'svc', 'x-1'];
const nameArb = fc.constantFrom(...names);
const nsArb = fc.constantFrom(...namespaces);
const prefixArb = fc.oneof(
  fc.constantFrom('/', '/a', '/a/', '/api/', '/api/v2/', '/user', '/user/', '/x.y', '/(a)+', '/a//b', 'no-slash', '', '/has space', '/q?x'),
  fc.stringMatching(/^\/[a-z/]{0,6}$/),
);
const rewriteArb = fc.option(fc.constantFrom('/', '', '/a/', '/v2', '/api/', '//', 'x'), { nil: undefined });
const hostArb = fc.option(fc.constantFrom('a.example.com', 'b.example.com', '*.example.com', '*.a.example.com', 'BAD_HOST', '*'), { nil: undefined });
const serviceArb = fc.oneof(
  fc.constantFrom('a', 'b:80', 'c:http', 'svc.team-a', 'https://a', 'http://svc.team-a:8080', 'missing', 'a:admin', 'ftp://a', 'a/b', ''),
  fc.tuple(nameArb, fc.option(nsArb), fc.option(fc.constantFrom(80, 8080, 'http', 'grpc'))).map(([n, ns, p]) => `${n}${ns ? `.${ns}` : ''}${p ? `:${p}` : ''}`),
);

// A few creation times (some equal, some absent) so that age order and its namespace/name tie-break both run.
const createdArb = fc.option(fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', '2025-06-01T12:00:00Z', 'garbage'), { nil: undefined });

const mappingArb: fc.Arbitrary<Mapping> = fc
  .record({ name: nameArb, namespace: fc.option(nsArb, { nil: undefined }), prefix: prefixArb, service: serviceArb, rewrite: rewriteArb, host: hostArb, generation: fc.nat(5), created: createdArb })
  .map(({ name, namespace, generation, rewrite, host, prefix, service, created }) => ({
    apiVersion: 'portico.dev/v1alpha1' as const,
    kind: 'Mapping' as const,
    metadata: { name, ...(namespace ? { namespace } : {}), generation, ...(created ? { creationTimestamp: created } : {}) },
    spec: { prefix, service, ...(rewrite !== undefined ? { rewrite } : {}), ...(host !== undefined ? { host } : {}) },
  }));

const serviceObjArb: fc.Arbitrary<Service> = fc
  .record({ name: nameArb, namespace: nsArb, ports: fc.subarray([{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }, { port: 8080 }]) })
  .map(({ name, namespace, ports }) => ({ metadata: { name, namespace }, spec: { ports } }));

const secretNames = [...new Set(fixtureSecrets.map((s) => s.metadata.name))];
const tlsArb: fc.Arbitrary<TLSContext> = fc
  .record({
    name: nameArb,
    namespace: nsArb,
    created: createdArb,
    hosts: fc.option(fc.subarray(['a.example.com', 'b.example.com', '*.example.com', 'shop.test', '*.shop.test', 'api.test', 'Bad Host']), { nil: undefined }),
    secret: fc.constantFrom(...secretNames, 'nope', 'api-tls.certs'),
    redirectCleartext: fc.option(fc.boolean(), { nil: undefined }),
    minTlsVersion: fc.option(fc.constantFrom('v1.2', 'v1.3', '1.2'), { nil: undefined }),
  })
  .map(({ name, namespace, created, hosts, secret, redirectCleartext, minTlsVersion }) => ({
    apiVersion: 'portico.dev/v1alpha1' as const,
    kind: 'TLSContext' as const,
    metadata: { name, namespace, ...(created ? { creationTimestamp: created } : {}) },
    spec: {
      secret,
      ...(hosts ? { hosts } : {}),
      ...(redirectCleartext !== undefined ? { redirectCleartext } : {}),
      ...(minTlsVersion ? { minTlsVersion: minTlsVersion as TLSContext['spec']['minTlsVersion'] } : {}),
    },
  }));

const grantArb: fc.Arbitrary<PorticoReferenceGrant> = fc
  .record({
    name: nameArb,
    namespace: fc.constantFrom(...namespaces, 'certs'),
    from: fc.array(fc.record({ kind: fc.constantFrom('Mapping' as const, 'TLSContext' as const), namespace: fc.constantFrom(...namespaces, '*') }), { minLength: 1, maxLength: 3 }),
    to: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constantFrom('Service' as const, 'Secret' as const), name: fc.option(fc.constantFrom(...names, 'api-tls'), { nil: undefined }) }),
        fc.record({ kind: fc.constant('Host' as const), name: fc.option(fc.constantFrom('a.example.com', '*.example.com', 'shop.test'), { nil: undefined }) }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ name, namespace, from, to }) => ({
    apiVersion: 'portico.dev/v1alpha1' as const,
    kind: 'PorticoReferenceGrant' as const,
    metadata: { name, namespace },
    spec: { from, to: to.map((t) => (t.name ? t : { kind: t.kind })) },
  }));

const snapshotArb: fc.Arbitrary<Snapshot> = fc.record({
  referenceGrants: fc.array(grantArb, { maxLength: 3 }),
  mappings: fc.array(mappingArb, { maxLength: 14 }),
  services: fc.array(serviceObjArb, { maxLength: 6 }),
  tlsContexts: fc.array(tlsArb, { maxLength: 4 }),
  secrets: fc.subarray(fixtureSecrets),
  now: fc.constantFrom('2030-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'not a time'),
});

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const optionsArb = fc.record({ hostOwnership: fc.constantFrom('namespace' as const, 'open' as const), externalNameServices: fc.constantFrom('deny' as const, 'allow' as const) });

describe('compileSnapshot properties (fast-check)', function () {
  this.timeout(120000);

  it('never throws, always renders a valid Envoy config, one status per object', () => {
    fc.assert(
      fc.property(snapshotArb, optionsArb, (snap, options) => {
        const { ir, statuses } = compileSnapshot(snap, options);
        const envoy = renderEnvoyConfig(ir);
        expect(validateEnvoyBootstrap(envoy.bootstrap)).to.deep.equal([]);
        const ids = new Set([
          ...snap.mappings.map((m) => `Mapping/${m.metadata.namespace ?? 'default'}/${m.metadata.name}`),
          ...snap.tlsContexts.map((t) => `TLSContext/${t.metadata.namespace ?? 'default'}/${t.metadata.name}`),
        ]);
        expect(statuses.map((s) => `${s.ref.kind}/${s.ref.namespace}/${s.ref.name}`)).to.have.members([...ids]);
        const routed = new Map<string, string[]>();
        for (const vh of ir.virtualHosts) for (const r of vh.routes) routed.set(r.name, [...(routed.get(r.name) ?? []), r.action.kind]);
        for (const s of statuses) {
          expect(s.conditions.map((c) => c.type)).to.deep.equal(['Accepted', 'ResolvedRefs', 'Programmed']);
          const acceptedFalse = s.conditions[0].status === 'False';
          if (acceptedFalse) {
            expect(s.conditions[0].message).to.match(/^(spec|metadata)\.[a-zA-Z]+/);
            // An invalid Mapping may stay in the config only to hold its match, answering 503 everywhere.
            if (s.inConfig) {
              expect(s.ref.kind).to.equal('Mapping');
              expect(s.conditions[0].reason).to.equal('Invalid');
              expect(routed.get(`${s.ref.namespace}/${s.ref.name}`)).to.satisfy((kinds: string[]) => kinds.length > 0 && kinds.every((k) => k === 'direct'));
            }
          }
          if (!s.inConfig && s.ref.kind === 'Mapping') expect(routed.has(`${s.ref.namespace}/${s.ref.name}`)).to.equal(false);
        }
        // A prefix_rewrite ending in "/" after a prefix not ending in "/" would produce "//".
        for (const l of (envoy.bootstrap as any).static_resources.listeners) // eslint-disable-line @typescript-eslint/no-explicit-any
          for (const vh of l.filter_chains[0].filters[0].typed_config.route_config.virtual_hosts)
            for (const r of vh.routes)
              if (r.route?.prefix_rewrite?.endsWith('/')) expect(r.match.prefix.endsWith('/'), r.name).to.equal(true);
      }),
      { numRuns: 150 },
    );
  });

  it('shuffling the input gives byte-identical json and statuses', () => {
    fc.assert(
      fc.property(snapshotArb, optionsArb, fc.integer({ min: 1, max: 1 << 30 }), (snap, options, seed) => {
        const a = compileSnapshot(snap, options);
        const b = compileSnapshot({
          mappings: shuffled(snap.mappings, seed),
          services: shuffled(snap.services, seed + 1),
          tlsContexts: shuffled(snap.tlsContexts, seed + 2),
          secrets: shuffled(snap.secrets, seed + 3),
          referenceGrants: shuffled(snap.referenceGrants ?? [], seed + 4),
          now: snap.now,
        }, options);
        const ra = renderEnvoyConfig(a.ir);
        const rb = renderEnvoyConfig(b.ir);
        expect(rb.json).to.equal(ra.json);
        expect(rb.hash).to.equal(ra.hash);
        expect(JSON.stringify(b.statuses)).to.equal(JSON.stringify(a.statuses));
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on malformed objects', () => {
    const junk = fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.object(), fc.array(fc.anything(), { maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 4 }), fc.array(junk, { maxLength: 3 }), fc.array(junk, { maxLength: 3 }), (mappings, tls, services) => {
        const snap = { mappings, tlsContexts: tls, services, secrets: services, now: '2030-01-01T00:00:00Z' } as unknown as Snapshot;
        const { ir } = compileSnapshot(snap);
        expect(validateEnvoyBootstrap(renderEnvoyConfig(ir).bootstrap)).to.deep.equal([]);
      }),
      { numRuns: 150 },
    );
  });
});
