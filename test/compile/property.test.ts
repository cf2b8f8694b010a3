// Property tests (fast-check) over random snapshots: compileSnapshot never throws, every rendered config passes
// the Envoy proto validator, and the result does not depend on input order (byte-identical json and statuses).
import { expect } from 'chai';
import fc from 'fast-check';
import { compileSnapshot } from '../../operator/compile/index.js';
import type { Snapshot } from '../../operator/compile/types.js';
import { renderEnvoyConfig } from '../../operator/envoy/index.js';
import { validateEnvoyBootstrap } from '../../operator/envoy-validate/index.js';
import { optionsArb, snapshotArb } from './snapshot-arbitraries.js';
import { propertyRuns } from '../support/property-runs.js';
import { allRoutes } from '../../operator/compile/ir-queries.js';

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
        for (const r of allRoutes(ir).flatMap((x) => x.members))
          routed.set(r.name, [...(routed.get(r.name) ?? []), r.action.kind]);
        for (const s of statuses) {
          expect(s.conditions.map((c) => c.type)).to.deep.equal(['Accepted', 'ResolvedRefs', 'Programmed']);
          const acceptedFalse = s.conditions[0].status === 'False';
          if (acceptedFalse) {
            expect(s.conditions[0].message).to.match(/^(spec|metadata)\.[a-zA-Z]+/);
            // An invalid Mapping may stay in the config only to hold its match, answering 503 everywhere.
            if (s.inConfig) {
              expect(s.ref.kind).to.equal('Mapping');
              expect(s.conditions[0].reason).to.be.oneOf(['Invalid', 'UnsupportedField']);
              expect(routed.get(`${s.ref.namespace}/${s.ref.name}`)).to.satisfy(
                (kinds: string[]) => kinds.length > 0 && kinds.every((k) => k === 'direct'),
              );
            }
          }
          if (!s.inConfig && s.ref.kind === 'Mapping')
            expect(routed.has(`${s.ref.namespace}/${s.ref.name}`)).to.equal(false);
        }
        // A prefix_rewrite ending in "/" after a prefix not ending in "/" would produce "//".
        for (const l of (envoy.bootstrap as any).static_resources.listeners)
          for (const vh of l.filter_chains[0].filters[0].typed_config.route_config.virtual_hosts)
            for (const r of vh.routes)
              if (r.route?.prefix_rewrite?.endsWith('/')) expect(r.match.prefix.endsWith('/'), r.name).to.equal(true);
      }),
      { numRuns: propertyRuns(150) },
    );
  });

  it('shuffling the input gives byte-identical json and statuses', () => {
    fc.assert(
      fc.property(snapshotArb, optionsArb, fc.integer({ min: 1, max: 1 << 30 }), (snap, options, seed) => {
        const a = compileSnapshot(snap, options);
        const b = compileSnapshot(
          {
            mappings: shuffled(snap.mappings, seed),
            services: shuffled(snap.services, seed + 1),
            tlsContexts: shuffled(snap.tlsContexts, seed + 2),
            secrets: shuffled(snap.secrets, seed + 3),
            referenceGrants: shuffled(snap.referenceGrants ?? [], seed + 4),
            now: snap.now,
          },
          options,
        );
        const ra = renderEnvoyConfig(a.ir);
        const rb = renderEnvoyConfig(b.ir);
        expect(rb.json).to.equal(ra.json);
        expect(rb.hash).to.equal(ra.hash);
        expect(JSON.stringify(b.statuses)).to.equal(JSON.stringify(a.statuses));
      }),
      { numRuns: propertyRuns(150) },
    );
  });

  it('never throws on malformed objects', () => {
    const junk = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.string(),
      fc.object(),
      fc.array(fc.anything(), { maxLength: 2 }),
    );
    fc.assert(
      fc.property(
        fc.array(junk, { maxLength: 4 }),
        fc.array(junk, { maxLength: 3 }),
        fc.array(junk, { maxLength: 3 }),
        (mappings, tls, services) => {
          const snap = {
            mappings,
            tlsContexts: tls,
            services,
            secrets: services,
            now: '2030-01-01T00:00:00Z',
          } as unknown as Snapshot;
          const { ir } = compileSnapshot(snap);
          expect(validateEnvoyBootstrap(renderEnvoyConfig(ir).bootstrap)).to.deep.equal([]);
        },
      ),
      { numRuns: propertyRuns(150) },
    );
  });
});
