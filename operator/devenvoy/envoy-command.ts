// Envoy's command line in `portico dev`, from the Deployment's Envoy container as its pod would run it (pure):
// the container's args, with $(VAR) expanded from its environment as the kubelet does (plain values and the
// downward API's resourceFieldRef: --concurrency from requests.cpu, the overload manager's heap limit from
// limits.memory), so the --config-yaml overload manager, --concurrency, --drain-time-s and --log-level are the
// pod's. Changed: `-c` names the config written for this epoch. Added: the hot-restart flags, which are
// portico dev's own (a pod is replaced by a rollout, never hot-restarted): --restart-epoch, the base id, the
// hot-restart socket in the private folder, --drain-strategy immediate (every connection to the old process is
// asked to close at its next response, so a keep-alive client sees a change at once) and
// --parent-shutdown-time-s (the old process exits that long after the new one started: drain time + 5 s for
// requests in flight). Flags of those kinds in the container's args are dropped, with a note.

/** The parts of a Kubernetes container this reads. */
export interface EnvoyContainer {
  args?: string[];
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: { resourceFieldRef?: { resource: string; divisor?: string | number } };
  }>;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
}

export interface NodeResources {
  cpus: number;
  memoryBytes: number;
}

export interface EpochOptions {
  configPath: string;
  epoch: number;
  /** The base id of the running Envoy; undefined for a cold start (epoch 0), which picks a free one. */
  baseId?: number;
  /** Where a cold start writes the base id it picked. */
  baseIdPath: string;
  /** The hot-restart domain socket's path prefix (in the private folder, not the abstract namespace). */
  socketPath: string;
}

export interface EnvoyCommand {
  /** Arguments for `envoy` to serve the config at this epoch. */
  run: string[];
  /** Arguments for `envoy --mode validate` of the same config, as this pod's Envoy would load it. */
  validate: string[];
  notes: string[];
}

/** Envoy's own default (--drain-time-s 600) when the container does not say. */
const ENVOY_DEFAULT_DRAIN_S = 600;
const IN_FLIGHT_GRACE_S = 5;

/** Flags portico dev sets itself for hot restart or validation; with whether they take a value. */
const OWN_FLAGS: Record<string, boolean> = {
  '--restart-epoch': true,
  '--base-id': true,
  '--base-id-path': true,
  '--use-dynamic-base-id': false,
  '--disable-hot-restart': false,
  '--socket-path': true,
  '--socket-mode': true,
  '--parent-shutdown-time-s': true,
  '--drain-strategy': true,
  '--mode': true,
  '--skip-hot-restart-on-no-parent': false,
};
const CONFIG_FLAGS = new Set(['-c', '--config-path']);

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes quantity ("100m", "1Gi", "2") as a number; NaN when it is not one. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q.trim());
  return m ? Number(m[1]) * SUFFIX[m[2] ?? ''] : NaN;
}

/** The downward API's resourceFieldRef value: requests/limits of cpu or memory over the divisor, rounded up. */
export function resourceFieldValue(
  container: EnvoyContainer,
  resource: string,
  divisor: string | number | undefined,
  node: NodeResources,
): string | undefined {
  const [kind, name] = resource.split('.');
  if ((kind !== 'requests' && kind !== 'limits') || (name !== 'cpu' && name !== 'memory')) return undefined;
  const nodeValue = name === 'cpu' ? node.cpus : node.memoryBytes;
  const limit = container.resources?.limits?.[name];
  const request = container.resources?.requests?.[name];
  // An unset limit is the node's allocatable; an unset request defaults to the limit (the API server's defaulting).
  const value =
    kind === 'limits'
      ? limit !== undefined
        ? parseQuantity(limit)
        : nodeValue
      : request !== undefined
        ? parseQuantity(request)
        : limit !== undefined
          ? parseQuantity(limit)
          : 0;
  const d = parseQuantity(divisor ?? 0) || 1;
  if (Number.isNaN(value) || Number.isNaN(d)) return undefined;
  return String(Math.ceil(Number((value / d).toFixed(6))));
}

/** The container's environment, as far as portico dev can know it (values and resourceFieldRefs). */
export function containerEnv(container: EnvoyContainer, node: NodeResources): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.resourceFieldRef;
    const v =
      e.value !== undefined
        ? expandVars(e.value, env)
        : ref
          ? resourceFieldValue(container, ref.resource, ref.divisor, node)
          : undefined;
    if (v !== undefined) env[e.name] = v;
  }
  return env;
}

/** $(NAME) → its value when defined (left as written when not); $$ → $. As the kubelet expands args. */
export function expandVars(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) =>
    name === undefined ? '$' : (env[name] ?? m),
  );
}

/** Splits `--flag=value` and `--flag value` into [flag, value, how many argv entries it took]. */
function flagAt(args: string[], i: number, takesValue: boolean): [string, string | undefined, number] {
  const a = args[i];
  const eq = a.startsWith('--') ? a.indexOf('=') : -1;
  if (eq > 0) return [a.slice(0, eq), a.slice(eq + 1), 1];
  return takesValue ? [a, args[i + 1], 2] : [a, undefined, 1];
}

export function envoyCommand(
  container: EnvoyContainer | undefined,
  node: NodeResources,
  opts: EpochOptions,
): EnvoyCommand {
  const env = container ? containerEnv(container, node) : {};
  const given = (container?.args ?? []).map((a) => expandVars(a, env));
  const notes: string[] = [];
  const kept: string[] = [];
  let drainSeconds = ENVOY_DEFAULT_DRAIN_S;
  for (let i = 0; i < given.length;) {
    const name = given[i].split('=')[0];
    if (CONFIG_FLAGS.has(name)) {
      i += flagAt(given, i, true)[2];
      continue;
    }
    if (name in OWN_FLAGS) {
      const [flag, value, n] = flagAt(given, i, OWN_FLAGS[name]);
      notes.push(
        `the Envoy container's ${flag}${value !== undefined ? ` ${value}` : ''} is not used: portico dev sets ${flag === '--mode' ? 'the mode' : 'the hot-restart flags'} itself`,
      );
      i += n;
      continue;
    }
    if (name === '--drain-time-s') {
      const [, value] = flagAt(given, i, true);
      if (value !== undefined && /^\d+$/.test(value)) drainSeconds = Number(value);
    }
    kept.push(given[i]);
    i += 1;
  }
  const base = ['-c', opts.configPath, ...kept];
  const baseId =
    opts.baseId === undefined
      ? ['--use-dynamic-base-id', '--base-id-path', opts.baseIdPath]
      : ['--base-id', String(opts.baseId)];
  const run = [
    ...base,
    '--restart-epoch',
    String(opts.epoch),
    ...baseId,
    '--socket-path',
    opts.socketPath,
    '--socket-mode',
    '600',
    '--drain-strategy',
    'immediate',
    '--parent-shutdown-time-s',
    String(drainSeconds + IN_FLIGHT_GRACE_S),
  ];
  // The check loads what the pod loads (the config merged with --config-yaml), and only says why it refuses.
  const validate = [
    '--mode',
    'validate',
    ...withoutLogging(base),
    '--disable-hot-restart',
    '--log-level',
    'critical',
    '--log-format',
    '%v',
  ];
  return { run, validate, notes };
}

function withoutLogging(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].split('=')[0];
    if (
      name === '--log-level' ||
      name === '-l' ||
      name === '--log-format' ||
      name === '--log-path' ||
      name === '--component-log-level'
    ) {
      if (!args[i].includes('=')) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}
