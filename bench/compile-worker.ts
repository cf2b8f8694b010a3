// One size of the compile benchmark, in its own process (spawned by compile.ts): generate the cluster, then
// time compileSnapshot + renderEnvoyConfig `runs` times and validateEnvoyBootstrap on up to `validateRuns` of
// them. Reports per-run timings, peak RSS, config bytes and the shape of the output. A stage that throws (e.g.
// a string over V8's length limit) is recorded, not hidden.
import { compileSnapshot } from '../operator/compile/index.js';
import { renderEnvoyConfig } from '../operator/envoy/index.js';
import { validateEnvoyBootstrap } from '../operator/envoy-validate/index.js';
import { generateSnapshot } from './generate-snapshot.js';
import { reportToParent } from './support/child.js';
import { configShape, type ConfigShape } from './support/envoy-shape.js';
import { flagValue } from './support/results.js';

export interface CompileRun {
  compileMs: number;
  renderMs?: number;
  totalMs?: number;
  validateMs?: number;
}

export interface CompileWorkerReport {
  n: number;
  variant: string;
  hostlessFraction: number;
  generateMs: number;
  rssAfterGenerateMiB: number;
  runs: CompileRun[];
  maxRssMiB: number;
  error?: { stage: string; message: string; afterMs: number };
  statuses?: number;
  rejected?: number;
  validationIssues?: number;
  configBytes?: number;
  certBytes?: number;
  shape?: ConfigShape;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function main(): Promise<void> {
  const n = Number(flagValue('n'));
  const runs = Number(flagValue('runs') ?? 5);
  const validateRuns = Number(flagValue('validate-runs') ?? 3);
  const variant = flagValue('variant') ?? 'mix';
  const hostlessFraction = variant === 'hosted' ? 0 : 0.1;

  let t = performance.now();
  const snapshot = generateSnapshot(n, { hostlessFraction });
  const report: CompileWorkerReport = {
    n,
    variant,
    hostlessFraction,
    generateMs: performance.now() - t,
    rssAfterGenerateMiB: mib(process.memoryUsage().rss),
    runs: [],
    maxRssMiB: 0,
  };

  for (let r = 0; r < runs && !report.error; r++) {
    const run: CompileRun = { compileMs: 0 };
    report.runs.push(run);
    let stage = 'compileSnapshot';
    const started = performance.now();
    try {
      t = performance.now();
      const { ir, statuses } = compileSnapshot(snapshot);
      run.compileMs = performance.now() - t;
      stage = 'renderEnvoyConfig';
      t = performance.now();
      const config = renderEnvoyConfig(ir);
      run.renderMs = performance.now() - t;
      run.totalMs = run.compileMs + run.renderMs;
      if (r < validateRuns) {
        stage = 'validateEnvoyBootstrap';
        t = performance.now();
        const issues = validateEnvoyBootstrap(config.bootstrap);
        run.validateMs = performance.now() - t;
        report.validationIssues = issues.length;
      }
      if (r === runs - 1) {
        report.statuses = statuses.length;
        report.rejected = statuses.filter((s) => !s.inConfig).length;
        report.configBytes = Buffer.byteLength(config.json);
        report.certBytes = Object.values(config.certFiles).reduce((a, v) => a + Buffer.byteLength(v), 0);
        report.shape = configShape(config.bootstrap);
      }
    } catch (err) {
      report.error = {
        stage,
        message: String((err as Error)?.message ?? err).slice(0, 500),
        afterMs: performance.now() - started,
      };
    }
  }
  report.maxRssMiB = Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
  await reportToParent(report);
}

await main();
