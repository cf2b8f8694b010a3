// Which Secrets the TLSContexts reference, read with the API's grammar and namespace default (as the compiler
// reads them), so the watched set is exactly what compileSnapshot looks up.
import { namespaceOf } from '../api/namespaces.js';
import { parseSecretRef } from '../api/secret-ref.js';
import type { TLSContext } from '../api/types.js';

/** The Secrets to watch for these TLSContexts, as sorted "namespace/name" keys. */
export function referencedSecrets(contexts: TLSContext[]): string[] {
  const keys = new Set<string>();
  for (const c of contexts) {
    const ref = c.spec?.secret;
    if (typeof ref !== 'string' || ref === '') continue;
    const { namespace, name } = parseSecretRef(ref, namespaceOf(c));
    if (namespace && name) keys.add(`${namespace}/${name}`);
  }
  return [...keys].sort();
}
