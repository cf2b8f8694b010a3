// The suite's tiers, each a set of folders of test/, by what its tests need to run (and so how quick they are).
// `npm run test:<tier>` runs one (run-tier.ts); `npm test` runs every folder (test/run-all). tiers.test.ts holds
// each folder that has a test to exactly one tier, so a new folder cannot fall out of the quick runs unnoticed.
export interface Tier {
  folders: string[];
  /** Extra environment for this tier's run (values already set in the caller's environment win). */
  env?: Record<string, string>;
}

export const TIERS = {
  /** The pure layers, in-process: no API server, no Envoy, no kubectl, no child processes but openssl for test PKI. */
  unit: {
    folders: [
      'api',
      'codegen',
      'compile',
      'devenvoy',
      'devgateway',
      'docs',
      'envoy',
      'envoy-check',
      'envoy-validate',
      'golden',
      'kube',
      'migrate',
      'publish',
      'reconcile',
      'server',
      'stats',
      'support',
      'xds',
    ],
    env: { PROPERTY_RUNS_SCALE: '0.25' },
  },
  /** The embedded API server with the real kubectl and client-node: the operator, the CLI, the manifests. */
  embedded: { folders: ['apiserver', 'bench', 'cli', 'manifests', 'operator', 'readme'] },
  /** Configs loaded and served by a local real Envoy (the pinned release from test/world/setup). */
  'envoy-real': { folders: ['envoy-real'] },
  /** The real kube-apiserver, etcd, kube-controller-manager and Envoy pods (test/world/ is its harness). */
  real: { folders: ['real', 'world'] },
  /** Churn, faults, restarts and fuzzing; shortened in `npm test`, full with `npm run test:reliability`. */
  reliability: { folders: ['reliability'] },
} satisfies Record<string, Tier>;

export type TierName = keyof typeof TIERS;

/** mocha's spec globs for a tier, relative to the repository root. */
export function tierSpecs(name: TierName): string[] {
  return TIERS[name].folders.map((folder) => `test/${folder}/**/*.test.ts`);
}
