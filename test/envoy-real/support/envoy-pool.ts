// Runs many real `envoy --mode validate` checks, a few at a time (the test machine has 2 shared cores; each
// check is one Envoy process on one config), skipping configs already checked (same hash). The binary is
// the pinned Envoy that test/world/setup installs.
import { checkWithEnvoy, type EnvoyVerdict } from '../../../operator/envoy-check/index.js';
import type { EnvoyConfig } from '../../../operator/envoy/index.js';
import { worldBinaries } from '../../world/binaries.js';

export const envoyBinary = (): string => worldBinaries().envoy;

/** Parallel Envoy processes: more than the cores only helps while the others wait on disk or start up. */
export const PARALLEL = Number(process.env.ENVOY_CHECK_PARALLEL ?? 2);

export interface Checked {
  /** The first item with this config. */
  label: string;
  hash: string;
  verdict: EnvoyVerdict;
  /** How many items had this config. */
  items: number;
}

export interface Labelled {
  label: string;
  config: Pick<EnvoyConfig, 'json' | 'certFiles' | 'hash'>;
}

/** One verdict per distinct config (the first label that produced it), in input order. */
export async function checkAll(items: readonly Labelled[], parallel = PARALLEL): Promise<Checked[]> {
  const envoy = envoyBinary();
  const distinct = new Map<string, Labelled>();
  const count = new Map<string, number>();
  for (const item of items) {
    if (!distinct.has(item.config.hash)) distinct.set(item.config.hash, item);
    count.set(item.config.hash, (count.get(item.config.hash) ?? 0) + 1);
  }
  const queue = [...distinct.values()];
  const out: Checked[] = [];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      out.push({
        label: item.label,
        hash: item.config.hash,
        verdict: await checkWithEnvoy(envoy, item.config),
        items: count.get(item.config.hash)!,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return out;
}

/** Each item's verdict, in input order (items with the same config share one). */
export async function verdictsOf(items: readonly Labelled[], parallel = PARALLEL): Promise<EnvoyVerdict[]> {
  const byHash = new Map((await checkAll(items, parallel)).map((c) => [c.hash, c.verdict]));
  return items.map((i) => byHash.get(i.config.hash)!);
}

/** The not-accepted verdicts, as lines a failing assertion can show. */
export function refusals(checked: readonly Checked[]): string[] {
  return checked
    .filter((c) => c.verdict.kind !== 'accepted')
    .map((c) => `${c.label}: ${c.verdict.kind}: ${'message' in c.verdict ? c.verdict.message : ''}`);
}
