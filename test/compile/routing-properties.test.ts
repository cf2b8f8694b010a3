// Routing properties (fast-check), decided on the rendered Envoy config by the route model (what Envoy does:
// vhost by Host, then the first matching route) and checked against a small reference matcher written here from
// the rules alone, without the compiler's code:
//  - issue 12 §1: a rejected Mapping whose prefix and host are usable keeps them. No request inside its match
//    reaches a less specific Mapping's backend; the answer is always the reference's winning group.
//  - issue 19 §1: with host ownership (the default), a request for a host owned by a namespace is answered only
//    by Mappings of that namespace or of namespaces it granted the host; a served TLS host is the TLSContext
//    namespace's own (or granted) and covered by its certificate; canary groups never span namespaces.
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { Mapping, PorticoReferenceGrant, Secret, Service, TLSContext } from '../../operator/api/types.js';
import { compileSnapshot } from '../../operator/compile/index.js';
import type { CompileOptions } from '../../operator/compile/options.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { routeRequest, type RouteDecision } from '../../operator/devgateway/route-model.js';
import { propertyRuns } from '../support/property-runs.js';
import { tlsChains } from '../../operator/compile/ir-queries.js';

const NOW = '2030-01-01T00:00:00Z';
const NAMESPACES = ['default', 'team-a', 'team-b'];

// ---- the reference: Emissary's order and the ownership rule, from their statements ----

interface Spec {
  namespace: string;
  name: string;
  prefix: string;
  host?: string;
  createdAt?: string;
  /** What the generator made: valid (forwards, or 503 for a missing Service), broken (invalid but usable match), unusable. */
  kind: 'valid' | 'missing' | 'broken' | 'unusable';
}

/** Envoy's host match for a Mapping host: none matches all, exact, or `*.s` for any name ending in `.s`. */
function hostMatches(pattern: string | undefined, host: string): boolean {
  if (!pattern) return true;
  if (!pattern.startsWith('*.')) return pattern === host;
  return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
}

/** Specificity: longer prefix first, then exact host, then longer wildcard, then no host. */
function rank(s: Pick<Spec, 'prefix' | 'host'>): [number, number, number] {
  return [s.prefix.length, s.host && !s.host.startsWith('*.') ? 1 : 0, s.host?.startsWith('*.') ? s.host.length : 0];
}
const compareRank = (a: [number, number, number], b: [number, number, number]) =>
  a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The Mappings (usable ones only) that must answer a request: the most specific match, all its members. */
function expectedGroup(specs: readonly Spec[], host: string, rawPath: string): Spec[] {
  // The listener merges slashes before routing (merge_slashes), so "/" + "/a/" is routed as "/a/".
  const path = rawPath.replace(/\/{2,}/g, '/');
  const matching = specs.filter((s) => s.kind !== 'unusable' && path.startsWith(s.prefix) && hostMatches(s.host, host));
  if (matching.length === 0) return [];
  const best = matching.reduce((a, b) => (compareRank(rank(b), rank(a)) > 0 ? b : a));
  return matching.filter((s) => s.prefix === best.prefix && s.host === best.host);
}

const idOf = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;

// ---- generators ----

const USABLE_PREFIXES = ['/', '/a', '/a/', '/api/', '/api/v2/', '/user/', '/user/admin/', '/users'];
const HOSTS = ['a.example.com', 'b.example.com', '*.example.com', '*.a.example.com'];
const CREATED = ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'];

/** The broken field of an invalid Mapping whose prefix and host are fine. */
const BROKEN: Array<Partial<Mapping['spec']> | 'no-service'> = [
  { service: 'ftp://svc' },
  { service: 'svc/x' },
  { service: 'svc.Bad' },
  { service: '' },
  { service: 42 as unknown as string },
  { rewrite: '/x//y' },
  'no-service',
];

const specArb: fc.Arbitrary<Spec & { broken?: (typeof BROKEN)[number] }> = fc
  .record({
    namespace: fc.constantFrom(...NAMESPACES),
    name: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6'),
    prefix: fc.constantFrom(...USABLE_PREFIXES),
    host: fc.option(fc.constantFrom(...HOSTS), { nil: undefined }),
    createdAt: fc.option(fc.constantFrom(...CREATED), { nil: undefined }),
    kind: fc.constantFrom('valid', 'valid', 'missing', 'broken', 'broken', 'unusable') as fc.Arbitrary<Spec['kind']>,
    broken: fc.constantFrom(...BROKEN),
  })
  .map((s) => s);

function toMapping(s: Spec & { broken?: (typeof BROKEN)[number] }): Mapping {
  const base: Record<string, unknown> = { prefix: s.prefix, service: s.kind === 'missing' ? 'nosuch' : 'svc' };
  if (s.host) base.host = s.host;
  if (s.kind === 'broken') {
    if (s.broken === 'no-service') delete base.service;
    else Object.assign(base, s.broken);
  }
  if (s.kind === 'unusable') base.prefix = `${s.prefix}%2e%2e/`; // a prefix Envoy could never match
  return {
    apiVersion: 'portico.dev/v1alpha1',
    kind: 'Mapping',
    metadata: { name: s.name, namespace: s.namespace, ...(s.createdAt ? { creationTimestamp: s.createdAt } : {}) },
    spec: base as unknown as Mapping['spec'],
  };
}

/** One spec per namespace/name (the compiler dedups; the reference must see the same objects). */
function unique<T extends { namespace: string; name: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((s) => [idOf(s), s])).values()];
}

const services: Service[] = NAMESPACES.map((namespace) => ({
  metadata: { name: 'svc', namespace },
  spec: { ports: [{ port: 80 }] },
}));

const suffixArb = fc.stringMatching(/^[a-z/]{0,6}$/).filter((s) => !s.includes('//'));

function hostsInside(pattern: string | undefined): string[] {
  if (!pattern) return ['other.test', 'a.example.com', 'q.a.example.com'];
  if (!pattern.startsWith('*.')) return [pattern];
  return [`q${pattern.slice(1)}`, `z.q${pattern.slice(1)}`];
}

function decide(bootstrap: object, host: string, path: string, random: number): RouteDecision {
  return routeRequest(bootstrap, { port: 8080, host, path, random });
}

describe('routing properties (fast-check, reference matcher)', function () {
  this.timeout(120_000);

  for (const options of [{ hostOwnership: 'open' }, { hostOwnership: 'namespace' }] as Array<Partial<CompileOptions>>) {
    it(`a rejected Mapping with a usable prefix and host keeps them: nothing inside reaches a less specific Mapping (${options.hostOwnership})`, () => {
      fc.assert(
        fc.property(
          fc.array(specArb, { minLength: 1, maxLength: 12 }),
          fc.array(suffixArb, { minLength: 1, maxLength: 3 }),
          (raw, suffixes) => {
            // Host ownership changes who may serve a host, not fall-through: check it with one namespace there.
            const specs = unique(
              options.hostOwnership === 'namespace' ? raw.map((s) => ({ ...s, namespace: 'default' })) : raw,
            );
            const { ir } = compileSnapshot(
              { mappings: specs.map(toMapping), services, tlsContexts: [], secrets: [], now: NOW },
              options,
            );
            const bootstrap = renderEnvoyConfig(ir).bootstrap;
            const byId = new Map(specs.map((s) => [idOf(s), s]));
            for (const rejected of specs.filter((s) => s.kind === 'broken')) {
              for (const host of hostsInside(rejected.host)) {
                for (const suffix of suffixes) {
                  const path = rejected.prefix + suffix;
                  const group = expectedGroup(specs, host, path).map(idOf);
                  expect(group.length, `${host}${path}`).to.be.greaterThan(0); // the rejected one at least is a candidate
                  for (const random of [0, 499_999, 999_999]) {
                    const d = decide(bootstrap, host, path, random);
                    expect(d.kind, `${host}${path}`).to.be.oneOf(['forward', 'direct']);
                    if (d.kind !== 'forward' && d.kind !== 'direct') continue;
                    expect(group, `${host}${path} answered by ${d.route}`).to.include(d.route);
                    const answered = byId.get(d.route)!;
                    // The 12.1 statement itself: never a less specific Mapping, and a broken one answers 503.
                    expect(
                      compareRank(rank(answered), rank(rejected)),
                      `${host}${path}: ${d.route} is less specific than ${idOf(rejected)}`,
                    ).to.be.at.least(0);
                    if (answered.kind !== 'valid') expect(d).to.include({ kind: 'direct', status: 503 });
                    else expect(d.kind).to.equal('forward');
                  }
                }
              }
            }
            // And every other request agrees with the reference too (unusable Mappings claim nothing).
            for (const host of ['a.example.com', 'x.a.example.com', 'b.example.com', 'other.test']) {
              for (const prefix of USABLE_PREFIXES) {
                const path = `${prefix}${suffixes[0]}`;
                const group = expectedGroup(specs, host, path).map(idOf);
                const d = decide(bootstrap, host, path, 0);
                if (group.length === 0) expect(d.kind, `${host}${path}`).to.equal('not-found');
                else
                  expect(group, `${host}${path}`).to.include(
                    d.kind === 'forward' || d.kind === 'direct' ? d.route : d.kind,
                  );
              }
            }
          },
        ),
        { numRuns: propertyRuns(200) },
      );
    });
  }

  // ---- tenant isolation ----

  const tlsFixtures = (
    yaml.loadAll(readFileSync(new URL('../golden/tls-sni-redirect/input.yaml', import.meta.url), 'utf8')) as Array<
      Secret & { kind?: string }
    >
  ).filter((d) => d?.kind === 'Secret' && d.metadata.name === 'shop-tls' && !d.metadata.namespace);
  const SHOP_CERT_NAMES = ['shop.test', '*.shop.test'];
  const TENANT_HOSTS = ['a.example.com', '*.example.com', 'shop.test', '*.shop.test', 'a.shop.test'];

  interface Claim {
    namespace: string;
    name: string;
    host: string;
    createdAt?: string;
  }
  const claimArb = fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    name: fc.constantFrom('x1', 'x2', 'x3', 'x4'),
    host: fc.constantFrom(...TENANT_HOSTS),
    createdAt: fc.option(fc.constantFrom(...CREATED), { nil: undefined }),
  });
  const hostGrantArb = fc.record({
    owner: fc.constantFrom(...NAMESPACES),
    from: fc.constantFrom(...NAMESPACES),
    kind: fc.constantFrom('Mapping' as const, 'TLSContext' as const),
    host: fc.option(fc.constantFrom(...TENANT_HOSTS), { nil: undefined }),
  });

  /** The owner by the rule's words: the oldest claim naming the host or a wildcard covering it. */
  function ownerOf(claims: readonly Claim[], host: string): string | undefined {
    const covers = (pattern: string, name: string) => {
      if (pattern === name) return true;
      if (!pattern.startsWith('*.')) return false;
      const n = name.startsWith('*.') ? name.slice(1) : name; // a wildcard name stands for its suffix
      return n.endsWith(pattern.slice(1)) && n.length > pattern.length - 1;
    };
    const covering = claims.filter((c) => covers(c.host, host));
    const t = (c: Claim) => (c.createdAt ? Date.parse(c.createdAt) : Infinity);
    covering.sort(
      (a, b) =>
        t(a) - t(b) ||
        (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    return covering[0]?.namespace;
  }

  it('a host owned by a namespace is answered only by its own or granted Mappings; TLS hosts likewise; no cross-namespace canary group', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            claim: claimArb,
            prefix: fc.constantFrom('/', '/login/', '/login/sso/'),
            hostless: fc.boolean(),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        fc.array(claimArb, { maxLength: 4 }),
        fc.array(hostGrantArb, { maxLength: 3 }),
        (rawMappings, rawTls, rawGrants) => {
          const ms = unique(rawMappings.map((m) => ({ ...m.claim, prefix: m.prefix, hostless: m.hostless })));
          const tls = unique(rawTls);
          const mappings: Mapping[] = ms.map((m) => ({
            apiVersion: 'portico.dev/v1alpha1',
            kind: 'Mapping',
            metadata: {
              name: m.name,
              namespace: m.namespace,
              ...(m.createdAt ? { creationTimestamp: m.createdAt } : {}),
            },
            spec: { prefix: m.prefix, service: 'svc', ...(m.hostless ? {} : { host: m.host }) },
          }));
          const tlsContexts: TLSContext[] = tls.map((t) => ({
            apiVersion: 'portico.dev/v1alpha1',
            kind: 'TLSContext',
            metadata: {
              name: t.name,
              namespace: t.namespace,
              ...(t.createdAt ? { creationTimestamp: t.createdAt } : {}),
            },
            spec: { hosts: [t.host], secret: 'shop-tls' },
          }));
          const grants: PorticoReferenceGrant[] = rawGrants.map((g, i) => ({
            apiVersion: 'portico.dev/v1alpha1',
            kind: 'PorticoReferenceGrant',
            metadata: { name: `g${i}`, namespace: g.owner },
            spec: {
              from: [{ kind: g.kind, namespace: g.from }],
              to: [{ kind: 'Host', ...(g.host ? { name: g.host } : {}) }],
            },
          }));
          const secrets = NAMESPACES.map((namespace) => ({
            ...tlsFixtures[0],
            metadata: { name: 'shop-tls', namespace },
          }));
          const { ir, statuses } = compileSnapshot({
            mappings,
            tlsContexts,
            services,
            secrets,
            referenceGrants: grants,
            now: NOW,
          });
          const bootstrap = renderEnvoyConfig(ir).bootstrap;

          const claims: Claim[] = [...ms.filter((m) => !m.hostless), ...tls];
          const granted = (owner: string, ns: string, kind: 'Mapping' | 'TLSContext', host: string) =>
            owner === ns ||
            rawGrants.some(
              (g) =>
                g.owner === owner &&
                g.from === ns &&
                g.kind === kind &&
                (!g.host || g.host === host || hostMatches(g.host, host)),
            );

          for (const host of ['a.example.com', 'q.example.com', 'shop.test', 'a.shop.test', 'z.a.shop.test']) {
            const owner = ownerOf(claims, host);
            for (const path of ['/', '/login/x', '/login/sso/y']) {
              const d = decide(bootstrap, host, path, 0);
              if (d.kind !== 'forward' && d.kind !== 'direct') continue;
              const ns = d.route.slice(0, d.route.indexOf('/'));
              if (owner)
                expect(
                  granted(owner, ns, 'Mapping', host),
                  `${host}${path} (owner ${owner}) answered by ${d.route}`,
                ).to.equal(true);
            }
          }
          for (const ctx of tlsChains(ir)) {
            const ns = ctx.name.slice(0, ctx.name.indexOf('/'));
            for (const sn of ctx.serverNames) {
              const owner = ownerOf(claims, sn)!;
              expect(granted(owner, ns, 'TLSContext', sn), `TLS ${sn} served by ${ctx.name}, owner ${owner}`).to.equal(
                true,
              );
              expect(
                SHOP_CERT_NAMES.includes(sn) ||
                  (sn.split('.').length === 3 && sn.endsWith('.shop.test') && !sn.startsWith('*')),
                `${sn} covered by the certificate`,
              ).to.equal(true);
            }
          }
          // Canary groups within one namespace: routed Mappings sharing host and prefix share a namespace.
          const routed = new Map<string, Set<string>>();
          const inConfig = new Set(
            statuses
              .filter((s) => s.inConfig && s.ref.kind === 'Mapping')
              .map((s) => `${s.ref.namespace}/${s.ref.name}`),
          );
          for (const m of ms) {
            if (!inConfig.has(idOf(m))) continue;
            const key = `${m.hostless ? '' : m.host} ${m.prefix}`;
            routed.set(key, (routed.get(key) ?? new Set()).add(m.namespace));
          }
          for (const [key, nss] of routed) expect(nss.size, `group ${key}: ${[...nss].join(', ')}`).to.equal(1);
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });
});
