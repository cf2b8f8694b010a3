// Shared by the fuzz suites: how many runs (FUZZ_RUNS scales every suite: FUZZ_RUNS=10 runs ten times the
// default), a global tally of cases and failures printed once as `fuzz: N cases, F failures`, and the
// invariants every hostile snapshot must satisfy:
//   1. compileSnapshot and renderEnvoyConfig do not throw;
//   2. the output passes the Envoy proto validator (validateEnvoyBootstrap);
//   3. every valid object is served: its route is in the rendered route config (TLSContexts: its filter chain);
//   4. every hostile object is either served (it happened to be valid) or has a False condition whose message
//      starts with the field it was made bad in (`spec.prefix: …`);
//   5. every condition fits the CRD's status schema (reason pattern, message ≤ 32768), so it can be written.
import fc from 'fast-check';
import type { Condition } from '../../../operator/api/types.js';
import { compileSnapshot } from '../../../operator/compile/index.js';
import type { ObjectStatus, Snapshot } from '../../../operator/compile/types.js';
import { renderEnvoyConfig } from '../../../operator/envoy/index.js';
import { validateEnvoyBootstrap } from '../../../operator/envoy-validate/index.js';

export const SCALE = Math.max(1, Number(process.env.FUZZ_RUNS ?? 1) || 1);
export const runs = (base: number): number => Math.round(base * SCALE);
/** Seeded unless FUZZ_SEED says otherwise, so `npm test` is reproducible; fast-check prints the seed on failure. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20_250_701);

const tally = { cases: 0, failures: 0, suites: new Map<string, number>() };

// One line at the very end of the run (a root-level mocha hook, registered once when this module loads).
after(() => console.log(`  ${fuzzSummary()}`));

export function fuzzSummary(): string {
  const per = [...tally.suites.entries()].map(([k, v]) => `${k} ${v}`).join(', ');
  return `fuzz: ${tally.cases} cases, ${tally.failures} failures (${per}; FUZZ_RUNS=${SCALE}, seed ${SEED})`;
}

/**
 * Runs a fast-check property, counting every case tried and every failing run, then rethrows a failure.
 * `tallied: false` is for the harness's own self-test, which fails on purpose.
 */
export function fuzz<T>(
  suite: string,
  arb: fc.Arbitrary<T>,
  numRuns: number,
  check: (value: T) => void,
  tallied = true,
): void {
  let tried = 0;
  // Shrinking re-runs the property: count only the first pass, so "cases" means distinct generated inputs.
  let shrinking = false;
  const result = fc.check(
    fc.property(arb, (v) => {
      if (!shrinking) tried++;
      try {
        check(v);
      } catch (err) {
        shrinking = true;
        throw err;
      }
    }),
    { numRuns, seed: SEED },
  );
  if (tallied) {
    tally.cases += tried;
    tally.suites.set(suite, (tally.suites.get(suite) ?? 0) + tried);
  }
  if (result.failed) {
    if (tallied) tally.failures++;
    const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    throw new Error(`${suite}: ${cause}\n${(fc.defaultReportMessage(result) ?? '').slice(0, 4000)}`);
  }
}

export interface Expectation {
  kind: 'Mapping' | 'TLSContext';
  namespace: string;
  name: string;
  /** undefined = valid, must be served; otherwise the field made hostile (e.g. "spec.prefix"). */
  badField?: string;
}

const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const MAX_MESSAGE = 32768;

function servedNames(bootstrap: any): { routes: Set<string>; chains: Set<string> } {
  const routes = new Set<string>();
  const chains = new Set<string>();
  for (const l of bootstrap.static_resources.listeners) {
    for (const fc of l.filter_chains) {
      if (l.name === 'https' && fc.name) chains.add(fc.name);
      for (const f of fc.filters)
        for (const vh of f.typed_config.route_config?.virtual_hosts ?? [])
          for (const r of vh.routes) if (l.name === 'http') routes.add(r.name);
    }
  }
  return { routes, chains };
}

/** Throws (with a short reason) when any invariant fails; returns the statuses for extra checks. */
export function checkInvariants(snapshot: Snapshot, expectations: readonly Expectation[]): ObjectStatus[] {
  const { ir, statuses } = compileSnapshot(snapshot);
  const envoy = renderEnvoyConfig(ir);
  const issues = validateEnvoyBootstrap(envoy.bootstrap);
  if (issues.length > 0)
    throw new Error(
      `Envoy validation: ${issues
        .slice(0, 3)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  const served = servedNames(envoy.bootstrap);
  const byId = new Map(statuses.map((s) => [`${s.ref.kind}/${s.ref.namespace}/${s.ref.name}`, s]));
  for (const s of statuses) for (const c of s.conditions) checkCondition(c, s);
  for (const e of expectations) {
    const id = `${e.namespace}/${e.name}`;
    const status = byId.get(`${e.kind}/${id}`);
    if (!status) throw new Error(`no status for ${e.kind} ${id}`);
    const isServed = e.kind === 'Mapping' ? served.routes.has(id) : served.chains.has(id);
    const problems = status.conditions.filter((c) => c.status === 'False' && c.type !== 'Programmed');
    if (!e.badField) {
      if (!isServed || problems.length > 0)
        throw new Error(
          `valid ${e.kind} ${id} not served: ${problems
            .map((c) => c.message)
            .join('; ')
            .slice(0, 300)}`,
        );
      continue;
    }
    if (problems.length === 0) {
      if (!isServed) throw new Error(`${e.kind} ${id} neither served nor rejected`);
      continue;
    }
    if (!problems.some((c) => c.message.startsWith(`${e.badField}: `) || c.message.startsWith(`${e.badField}.`)))
      throw new Error(
        `${e.kind} ${id}: no condition names ${e.badField}: ${problems.map((c) => c.message.slice(0, 120)).join(' | ')}`,
      );
  }
  return statuses;
}

function checkCondition(c: Condition, s: ObjectStatus): void {
  const where = `${s.ref.kind} ${s.ref.namespace}/${s.ref.name} ${c.type}`;
  if (!REASON.test(c.reason))
    throw new Error(`${where}: reason ${JSON.stringify(c.reason.slice(0, 60))} breaks the CRD pattern`);
  if (c.message.length > MAX_MESSAGE)
    throw new Error(`${where}: message of ${c.message.length} chars (CRD max ${MAX_MESSAGE})`);
}
