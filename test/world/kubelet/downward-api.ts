// The kubelet's downward API for container resources and its $(VAR) expansion, as a real kubelet does them (pure):
// - resourceFieldRef: the container's requests/limits of cpu or memory divided by `divisor` (1 when unset or "0",
//   the API server's default) and rounded up (so requests.cpu 100m is "1"); an unset limit is the node's
//   allocatable, an unset request is the limit's value (the API server's defaulting) or else 0.
// - $(NAME) in env values, command and args: replaced by the variable when it is defined, left as written when it
//   is not; $$ is a literal $.

export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

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

/** A Kubernetes quantity ("100m", "1Gi", "2") as a number. */
export function parseQuantity(q: string): number {
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q.trim());
  if (!m) throw new Error(`quantity ${JSON.stringify(q)} is not supported in the test world`);
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}

export function resourceFieldValue(
  resources: ResourceRequirements | undefined,
  resource: string,
  divisor: string | undefined,
  allocatable: { cpu: string; memory: string },
): string {
  const [kind, name] = resource.split('.');
  if ((kind !== 'requests' && kind !== 'limits') || (name !== 'cpu' && name !== 'memory')) {
    throw new Error(`resourceFieldRef ${resource} is not supported in the test world`);
  }
  const limit = resources?.limits?.[name] ?? allocatable[name];
  const value = kind === 'limits' ? limit : (resources?.requests?.[name] ?? resources?.limits?.[name] ?? '0');
  // The API server defaults an unset divisor to "0", which the kubelet reads as 1.
  const d = parseQuantity(divisor ?? '0') || 1;
  // Whole numbers only, rounded up; round first so that 0.1 / 1e-3 is 100, not 100.00000000000001.
  return String(Math.ceil(Number((parseQuantity(value) / d).toFixed(6))));
}

export function expandVars(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => {
    if (name === undefined) return '$';
    return env[name] ?? m;
  });
}
