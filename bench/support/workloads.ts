// The two workloads the cluster benchmarks run:
// - "mix": the realistic mix (generate-snapshot.ts defaults: 10 % host-less Mappings, 8+3 TLSContexts).
//   Its config is far over 1 MiB already at 1k Mappings (host-less Mappings fan out to every virtual host, and
//   every HTTPS filter chain repeats the whole route table), so it shows what happens past the limit.
// - "fits": every Mapping has a host and there is no TLS — one route entry per Mapping, the smallest config the
//   same Mappings can give. It measures the pipeline's own latency wherever the config fits in a ConfigMap.
import type { GenerateOptions } from '../generate-snapshot.js';

export type WorkloadName = 'mix' | 'fits';

export const WORKLOADS: Record<WorkloadName, GenerateOptions & { description: string }> = {
  mix: {
    description: 'issue mix: 10 % host-less Mappings, 200 hosts, 8 valid + 3 broken TLSContexts',
    hostlessFraction: 0.1,
    tls: true,
  },
  fits: {
    description: 'every Mapping bound to one of 200 hosts, no TLS (one route entry per Mapping)',
    hostlessFraction: 0,
    tls: false,
  },
};

export function workloadFromArgs(argv: string[], fallback: WorkloadName[]): WorkloadName[] {
  const i = argv.indexOf('--workloads');
  const names = i >= 0 ? argv[i + 1].split(',') : fallback;
  for (const n of names)
    if (!(n in WORKLOADS))
      throw new Error(`--workloads: unknown workload "${n}" (known: ${Object.keys(WORKLOADS).join(', ')})`);
  return names as WorkloadName[];
}
