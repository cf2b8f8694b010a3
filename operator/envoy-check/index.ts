// The real check: a rendered config (and its certificate files) laid out in a temporary folder and loaded by
// `envoy --mode validate`. Used by `portico validate|render --envoy` and, when it finds a binary, the operator
// before it publishes. Messages name paths as the Envoy pod sees them (/etc/portico/certs/…).
import { materialiseConfig } from './materialise.js';
import { runEnvoyValidate, type EnvoyVerdict } from './run-validate.js';

export { findEnvoy } from './find-envoy.js';
export { envoyVersion, parseVerdict, type EnvoyVerdict } from './run-validate.js';
export { traceEnvoyMessage } from './trace-objects.js';
export { traceInBootstrap } from './trace-bootstrap.js';
export { PINNED_ENVOY_VERSION } from './pinned-version.js';

export interface CheckableConfig {
  /** Canonical JSON of the bootstrap. */
  json: string;
  certFiles: Readonly<Record<string, string>>;
}

export interface CheckOptions {
  timeoutMs?: number;
  /** Parent of the temporary folder (default os.tmpdir()). */
  tmpDir?: string;
}

export async function checkWithEnvoy(
  envoyPath: string,
  config: CheckableConfig,
  opts: CheckOptions = {},
): Promise<EnvoyVerdict> {
  const files = materialiseConfig(config.json, config.certFiles, opts.tmpDir);
  try {
    const verdict = await runEnvoyValidate(envoyPath, files.configPath, opts.timeoutMs);
    return verdict.kind === 'accepted' ? verdict : { ...verdict, message: files.podPaths(verdict.message) };
  } finally {
    files.remove();
  }
}
