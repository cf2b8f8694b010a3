// Which Secrets the TLSContexts reference, read with the compiler's own parser so the watched set is exactly
// what compileSnapshot looks up.
import type { TLSContext } from '../api/types.js';
import { parseSecretRef } from '../compile/tls-contexts.js';

/** The Secrets to watch for these TLSContexts, as sorted "namespace/name" keys. */
export function referencedSecrets(contexts: TLSContext[]): string[] {
  const keys = new Set<string>();
  for (const c of contexts) {
    const ref = c.spec?.secret;
    if (typeof ref !== 'string' || ref === '') continue;
    const { namespace, name } = parseSecretRef(ref, c.metadata?.namespace ?? 'default');
    if (namespace && name) keys.add(`${namespace}/${name}`);
  }
  return [...keys].sort();
}
