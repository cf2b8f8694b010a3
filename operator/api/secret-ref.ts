// `spec.secret` of a TLSContext: `name[.namespace]`. The last dot splits off the namespace (as Emissary's
// secret_namespacing); without one the Secret is in the TLSContext's own namespace. Part of the API, not of
// compile/: the Secret watches (kube/secret-refs.ts) and the compiler must read a reference alike.

export interface SecretRef {
  namespace: string;
  name: string;
}

export function parseSecretRef(value: string, defaultNamespace: string): SecretRef {
  const dot = value.lastIndexOf('.');
  return dot < 0
    ? { namespace: defaultNamespace, name: value }
    : { namespace: value.slice(dot + 1), name: value.slice(0, dot) };
}
