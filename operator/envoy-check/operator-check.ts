// The operator's check before it publishes (when it has an Envoy binary: PORTICO_ENVOY / --envoy). Modes:
//  - listeners (default): load the listener skeleton (listener-skeleton.ts) with the certificates, and only
//    when that part changed since the last config Envoy accepted: a certificate, a TLSContext, a listener
//    setting, or a new operator version. ~90 ms whatever the number of Mappings (README "Performance");
//  - full: load the whole config on every change (180 ms at 1k Mappings of the benchmark mix, 0.85 s at 10k,
//    8 s and 670 MiB at 10k with every Mapping served): for small installs only;
//  - off.
// A verdict is remembered per fingerprint, so an unchanged rejected config is not loaded again on every resync.
import type { GatewayIR } from '../compile/ir.js';
import type { EnvoyConfig } from '../envoy/index.js';
import { canonicalJson, configHash } from '../envoy/serialise.js';
import { checkWithEnvoy } from './index.js';
import { listenerSkeleton } from './listener-skeleton.js';
import { traceEnvoyMessage, type TracedObject } from './trace-objects.js';

export type EnvoyCheckMode = 'listeners' | 'full' | 'off';
export const ENVOY_CHECK_MODES: readonly EnvoyCheckMode[] = ['listeners', 'full', 'off'];

export type EnvoyCheckOutcome =
  | { kind: 'skipped' }
  | { kind: 'accepted'; ms: number }
  | { kind: 'rejected'; message: string; objects: TracedObject[]; ms: number }
  /** The check could not run (binary gone, killed, timed out): the caller publishes on the proto check alone. */
  | { kind: 'failed'; message: string; ms: number };

export interface EnvoyCheckOptions {
  envoyPath: string;
  mode: EnvoyCheckMode;
  timeoutMs?: number;
  tmpDir?: string;
}

export class EnvoyConfigCheck {
  private acceptedFingerprint: string | undefined;
  private rejected: { fingerprint: string; outcome: EnvoyCheckOutcome } | undefined;

  constructor(private readonly opts: EnvoyCheckOptions) {}

  get mode(): EnvoyCheckMode {
    return this.opts.mode;
  }

  async check(config: EnvoyConfig, ir: GatewayIR): Promise<EnvoyCheckOutcome> {
    if (this.opts.mode === 'off') return { kind: 'skipped' };
    const subject =
      this.opts.mode === 'full'
        ? { json: config.json, certFiles: config.certFiles }
        : { json: canonicalJson(listenerSkeleton(config.bootstrap)), certFiles: config.certFiles };
    const fingerprint = this.opts.mode === 'full' ? config.hash : configHash(subject.json, subject.certFiles);
    if (fingerprint === this.acceptedFingerprint) return { kind: 'skipped' };
    if (fingerprint === this.rejected?.fingerprint) return this.rejected.outcome;
    const verdict = await checkWithEnvoy(this.opts.envoyPath, subject, {
      timeoutMs: this.opts.timeoutMs,
      tmpDir: this.opts.tmpDir,
    });
    if (verdict.kind === 'accepted') {
      this.acceptedFingerprint = fingerprint;
      this.rejected = undefined;
      return verdict;
    }
    if (verdict.kind === 'failed') return verdict;
    const outcome: EnvoyCheckOutcome = {
      kind: 'rejected',
      message: verdict.message,
      objects: traceEnvoyMessage(verdict.message, ir),
      ms: verdict.ms,
    };
    this.rejected = { fingerprint, outcome };
    return outcome;
  }
}
