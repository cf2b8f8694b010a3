// The Envoy container of manifests/base/envoy/deployment.yaml as a kubelet starts it: its args with $(VAR) expanded
// from its downward-API environment (the test world's kubelet rules), and the --config-yaml it merges into every
// config. Manifest tests check them; test/real starts Envoy directly with them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { expandVars, resourceFieldValue, type ResourceRequirements } from '../world/kubelet/downward-api.js';
import { NODE_ALLOCATABLE } from '../world/kubelet/node.js';
import { repoRoot } from './render-manifests.js';

export interface EnvoyContainer {
  name: string;
  args: string[];
  env?: { name: string; value?: string; valueFrom?: { resourceFieldRef?: { resource: string; divisor?: string } } }[];
  resources?: ResourceRequirements;
  [key: string]: any;
}

export function envoyDeployment(): any {
  return yaml.load(readFileSync(path.join(repoRoot, 'manifests/base/envoy/deployment.yaml'), 'utf8'));
}

export function envoyContainer(deployment = envoyDeployment()): EnvoyContainer {
  return deployment.spec.template.spec.containers.find((c: EnvoyContainer) => c.name === 'envoy');
}

/** The container's environment as the kubelet computes it (values and resourceFieldRefs only). */
export function envoyEnv(c: EnvoyContainer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.resourceFieldRef;
    if (e.value !== undefined) env[e.name] = expandVars(e.value, env);
    else if (ref) env[e.name] = resourceFieldValue(c.resources, ref.resource, ref.divisor, NODE_ALLOCATABLE);
    else throw new Error(`env ${e.name}: only values and resourceFieldRefs are expected in the Envoy container`);
  }
  return env;
}

/** The args Envoy receives. */
export function envoyArgs(c = envoyContainer()): string[] {
  const env = envoyEnv(c);
  return c.args.map((a) => expandVars(a, env));
}

/** The value of `flag` in args (the next argument), or undefined. */
export function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

/** What --config-yaml merges into every bootstrap the pod loads. */
export function mergedBootstrapPart(args = envoyArgs()): Record<string, any> {
  const text = flagValue(args, '--config-yaml');
  if (text === undefined) throw new Error('the Envoy container has no --config-yaml');
  return yaml.load(text) as Record<string, any>;
}
