// Lays a rendered config out on disk the way the Envoy pod sees it, in a private temporary folder: envoy.json
// plus the certificate files. The only change to the config is its certificate paths: /etc/portico/certs/<f>
// (where the pod mounts the certs Secret) becomes <tmp>/certs/<f>. Keys are written 0600.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CERTS_DIR } from '../envoy/constants.js';

export interface MaterialisedConfig {
  dir: string;
  configPath: string;
  certsDir: string;
  /** Turns a message's temporary paths back into the pod's (/etc/portico/certs/…). */
  podPaths(text: string): string;
  remove(): void;
}

/**
 * Certificate paths in JSON (compact or indented): a string value starting with CERTS_DIR/. An opening quote
 * follows `:`, `[` or `,` and maybe whitespace; inside a string a quote is escaped (`\"`), so user text (a
 * route prefix holding `"/etc/portico/certs/`) can never match.
 */
const CERT_PATH = new RegExp(`([:\\[,]\\s*)"${CERTS_DIR.replace(/[/.]/g, '\\$&')}/`, 'g');

export function rewriteCertPaths(json: string, certsDir: string): string {
  const target = JSON.stringify(`${certsDir}/`).slice(1, -1);
  return json.replace(CERT_PATH, (_m, before: string) => `${before}"${target}`);
}

export function materialiseConfig(
  json: string,
  certFiles: Readonly<Record<string, string>>,
  parent = tmpdir(),
): MaterialisedConfig {
  const dir = mkdtempSync(join(parent, 'portico-envoy-check-'));
  const certsDir = join(dir, 'certs');
  try {
    mkdirSync(certsDir, { mode: 0o700 });
    for (const [name, pem] of Object.entries(certFiles)) writeFileSync(join(certsDir, name), pem, { mode: 0o600 });
    const configPath = join(dir, 'envoy.json');
    writeFileSync(configPath, rewriteCertPaths(json, certsDir));
    return {
      dir,
      configPath,
      certsDir,
      podPaths: (text) => text.split(`${certsDir}/`).join(`${CERTS_DIR}/`).split(configPath).join('envoy.json'),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
