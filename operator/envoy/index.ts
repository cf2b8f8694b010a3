// renderEnvoyConfig: Gateway IR → Envoy v3 Bootstrap (+ the certificate files it references, and a content
// hash). Pure; validation against Envoy's protos lives in ./validate/.
import type { GatewayIR } from '../compile/ir.js';
import { buildBootstrap } from './bootstrap.js';
import { canonicalJson, configHash } from './serialise.js';

export interface EnvoyConfig {
  bootstrap: object;
  /** Canonical JSON of `bootstrap` (what goes into the ConfigMap). */
  json: string;
  /** File name → PEM, for the certs Secret mounted at /etc/portico/certs/. */
  certFiles: Record<string, string>;
  /** First 10 hex chars of sha256 over json and the sorted certFiles. */
  hash: string;
}

export function renderEnvoyConfig(ir: GatewayIR): EnvoyConfig {
  const bootstrap = buildBootstrap(ir);
  const json = canonicalJson(bootstrap);
  const certFiles = { ...ir.tls.files };
  return { bootstrap, json, certFiles, hash: configHash(json, certFiles) };
}
