// `portico dev`'s flags, read with node:util parseArgs: each error names the flag (and an unknown flag or
// argument gets the usage). Pure: dev.ts acts on them.
import { parseArgs } from 'node:util';

export const USAGE = `usage: portico dev [flags]

Starts an embedded Kubernetes API server and the Portico operator, for trying Portico locally.

flags:
  --port N            API server port on 127.0.0.1 (default 8001; 0 picks a free one)
  --examples          apply examples/*.yaml on the first start of this state (never over your later edits)
  --no-persist        keep state in memory only (default: ./.portico/state.json)
  --no-operator       do not run the operator in-process
  --operator-port N   the operator's HTTP port on 127.0.0.1 (/healthz, /metrics, /portico/v1/*; default 8877, 0 = any)
  --gateway-port N    the gateway's HTTP port on 127.0.0.1 (default 8080, 0 = any)
  --https-port N      real Envoy's HTTPS port on 127.0.0.1, served once a TLSContext is programmed (default 8443,
                      0 = any); the dev gateway has no HTTPS
  --envoy PATH        run this Envoy binary as the gateway (without PATH: envoy on PATH); it follows the published
                      config as a pod would. Without --envoy or --no-envoy: envoy on PATH, else in a checkout the
                      Envoy test/world/setup installed, else the dev gateway
  --no-envoy          use the dev gateway even when there is an Envoy: it routes requests as the published Envoy
                      config says, standing in for Envoy
  --upstream S=URL    send traffic for Service S (name.namespace) to URL instead of echoing (repeatable),
                      e.g. --upstream usersvc.default=http://127.0.0.1:3000
  --no-gateway        run neither Envoy nor the dev gateway
  -h, --help          show this help
`;

export interface DevFlags {
  port: number;
  examples: boolean;
  persist: boolean;
  operator: boolean;
  operatorPort: number;
  gateway: boolean;
  gatewayPort: number;
  httpsPort: number;
  /** --envoy's value: a path, or "" for envoy on PATH; undefined when not given. */
  envoy?: string;
  noEnvoy: boolean;
  upstreams: Map<string, URL>;
}

const OPTIONS = {
  port: { type: 'string' },
  examples: { type: 'boolean' },
  'no-persist': { type: 'boolean' },
  'no-operator': { type: 'boolean' },
  'operator-port': { type: 'string' },
  'gateway-port': { type: 'string' },
  'https-port': { type: 'string' },
  envoy: { type: 'string' },
  'no-envoy': { type: 'boolean' },
  upstream: { type: 'string', multiple: true },
  'no-gateway': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function portFlag(flag: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new Error(`${flag}: "${v}" is not a port number (0-65535)`);
  return n;
}

/** `--envoy PATH` takes PATH; a bare `--envoy` (last, or before another flag) means envoy on PATH. */
function bareEnvoyFlag(argv: readonly string[]): string[] {
  return argv.map((a, i) =>
    a === '--envoy' && (i + 1 === argv.length || argv[i + 1].startsWith('-')) ? '--envoy=' : a,
  );
}

/** The flags, or USAGE for --help. Throws with a one-line reason (and the usage for an unknown flag). */
export function parseFlags(argv: string[]): DevFlags | string {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: bareEnvoyFlag(argv), options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    const e = err as Error & { code?: string };
    const flag = /'(-[^' ]*)/.exec(e.message)?.[1] ?? '';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new Error(`unknown flag "${flag}"\n\n${USAGE}`, { cause: err });
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new Error(`${flag} ${/argument missing/.test(e.message) ? 'needs a value' : 'takes no value'}`, {
        cause: err,
      });
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new Error(`unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ''}\n\n${USAGE}`, { cause: err });
    throw err;
  }
  if (values.help) return USAGE;
  if (values.envoy !== undefined && values['no-envoy']) throw new Error('--envoy and --no-envoy: choose one');
  return {
    port: portFlag('--port', values.port, 8001),
    examples: values.examples ?? false,
    persist: !values['no-persist'],
    operator: !values['no-operator'],
    operatorPort: portFlag('--operator-port', values['operator-port'], 8877),
    gateway: !values['no-gateway'],
    gatewayPort: portFlag('--gateway-port', values['gateway-port'], 8080),
    httpsPort: portFlag('--https-port', values['https-port'], 8443),
    envoy: values.envoy,
    noEnvoy: values['no-envoy'] ?? false,
    upstreams: new Map((values.upstream ?? []).map(splitUpstream)),
  };
}

function splitUpstream(v: string): [string, URL] {
  const i = v.indexOf('=');
  const service = v.slice(0, i);
  if (i < 0 || !/^[a-z0-9-]+\.[a-z0-9-]+$/.test(service))
    throw new Error(`--upstream: "${v}" is not <service>.<namespace>=<url>`);
  try {
    return [service, new URL(v.slice(i + 1))];
  } catch {
    throw new Error(`--upstream: "${v.slice(i + 1)}" is not a URL`);
  }
}
