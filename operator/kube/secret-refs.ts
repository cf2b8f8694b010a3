// Which Secrets the TLSContexts reference. `spec.secret` is `name[.namespace]` (Emissary's rule: the last dot
// splits). A Secret name may itself contain dots, so for a dotted reference both readings are watched: the
// compiler then finds whichever it resolves, and we still cache only Secrets someone names.
import type { TLSContext } from '../api/types.js';

export interface SecretKey {
  namespace: string;
  name: string;
}

export function secretCandidates(ctx: TLSContext): SecretKey[] {
  const ref = ctx.spec?.secret;
  const own = ctx.metadata?.namespace ?? 'default';
  if (typeof ref !== 'string' || ref === '') return [];
  const out: SecretKey[] = [{ namespace: own, name: ref }];
  const dot = ref.lastIndexOf('.');
  if (dot > 0 && dot < ref.length - 1) out.push({ namespace: ref.slice(dot + 1), name: ref.slice(0, dot) });
  return out;
}

/** The set of Secrets to watch for these TLSContexts, as sorted "namespace/name" keys. */
export function referencedSecrets(contexts: TLSContext[]): string[] {
  const keys = new Set<string>();
  for (const c of contexts) for (const k of secretCandidates(c)) keys.add(`${k.namespace}/${k.name}`);
  return [...keys].sort();
}
