// Which namespace an object is in when it names none: Kubernetes' `default`, as the API server fills it in.
// (The operator's own namespace is another fact: DEFAULT_OPERATOR_NAMESPACE in operator/publish/names.ts.)

export const DEFAULT_NAMESPACE = 'default';

/** The object's namespace; DEFAULT_NAMESPACE when it has none or an empty one. */
export function namespaceOf(obj: { metadata?: { namespace?: unknown } }): string {
  const ns = obj.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : DEFAULT_NAMESPACE;
}
