// `--envoy[=PATH]` for `portico validate` and `portico render`: the real Envoy check, offline (GitOps CI). The
// binary is PATH, or else `envoy` on PATH; without one the command says so in one line and keeps the proto
// check. A rejection is printed in Envoy's words, once per object it can be traced to.
import type { GatewayIR } from '../compile/ir.js';
import type { EnvoyConfig } from '../envoy/index.js';
import {
  PINNED_ENVOY_VERSION,
  checkWithEnvoy,
  envoyVersion,
  findEnvoy,
  traceEnvoyMessage,
} from '../envoy-check/index.js';

/** A bare `--envoy` becomes `--envoy=` (look on PATH), since parseArgs wants a value for a string option. */
export function normaliseEnvoyFlag(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '--envoy' ? '--envoy=' : a));
}

export interface EnvoyCheckReport {
  /** One per refused object (`TLSContext/ns/name <message>`), or one untraced line. Empty when accepted. */
  rejections: string[];
  /** Lines for stderr: the binary missing, a version warning, the verdict's summary. */
  notes: string[];
  /** The check was asked for but could not run to a verdict (the binary crashed, timed out…). */
  error?: string;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

/** `flag` is the --envoy value ("" = PATH); undefined means the flag was not given. */
export async function envoyCheckReport(
  command: string,
  flag: string | undefined,
  config: EnvoyConfig,
  ir: GatewayIR,
): Promise<EnvoyCheckReport | undefined> {
  if (flag === undefined) return undefined;
  const found = findEnvoy(flag);
  if ('missing' in found)
    return {
      rejections: [],
      notes: [`portico ${command}: --envoy: ${found.missing}; checked against Envoy's protos only`],
    };
  const notes: string[] = found.note ? [`warning: --envoy: ${found.note}`] : [];
  const version = await envoyVersion(found.path);
  if (version !== PINNED_ENVOY_VERSION)
    notes.push(
      `warning: --envoy: ${found.path} is Envoy ${version ?? '(unknown version)'}, not the release Portico is pinned to (${PINNED_ENVOY_VERSION}); its verdict may differ`,
    );
  const who = `Envoy ${version ?? ''}`.trim();
  const verdict = await checkWithEnvoy(found.path, config);
  if (verdict.kind === 'failed')
    return { rejections: [], notes, error: `portico ${command}: --envoy: ${oneLine(verdict.message)}` };
  if (verdict.kind === 'accepted')
    return {
      rejections: [],
      notes: [...notes, `portico ${command}: ${who} (${found.source}) accepts the configuration (${verdict.ms} ms)`],
    };
  const message = `${who} refuses the configuration: ${oneLine(verdict.message)}`;
  const traced = traceEnvoyMessage(verdict.message, ir);
  const rejections =
    traced.length > 0
      ? traced.map((o) => `${o.kind}/${o.namespace}/${o.name} ${message}`)
      : [`envoy: ${message} (not traced to an object)`];
  return { rejections, notes };
}
