// Maps an HTTP request to the Kubernetes API onto the attributes RBAC authorizes (verb, API group, resource,
// subresource, namespace, name), the way the API server's request-info resolver does.

export interface ResourceAttributes {
  kind: 'resource';
  verb: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export interface NonResourceAttributes {
  kind: 'nonResource';
  verb: string;
  path: string;
}

export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

const METHOD_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

export function requestAttributes(method: string, url: string): RequestAttributes {
  const parsed = new URL(url, 'http://api.invalid');
  const parts = parsed.pathname.split('/').filter(Boolean);
  const lowerMethod = method.toLowerCase();

  let rest: string[];
  let apiGroup: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    apiGroup = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiGroup = parts[1];
    rest = parts.slice(3);
  } else {
    return { kind: 'nonResource', verb: lowerMethod, path: parsed.pathname };
  }

  let namespace = '';
  // /namespaces/{ns}/{resource}... ; /namespaces and /namespaces/{name}[/status] are the namespace resource itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name = '', subresource = ''] = rest;

  const watch = ['true', '1'].includes(parsed.searchParams.get('watch') ?? '');
  let verb: string;
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      verb = watch ? 'watch' : name ? 'get' : 'list';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = METHOD_VERBS[method.toUpperCase()] ?? lowerMethod;
  }
  // As the API server's request-info resolver: a list or watch with fieldSelector metadata.name=<n> is about the
  // object named <n>, so RBAC resourceNames can allow it.
  if ((verb === 'list' || verb === 'watch') && !name) {
    const only = /^metadata\.name=([^,]+)$/.exec(parsed.searchParams.get('fieldSelector') ?? '')?.[1];
    if (only) return { kind: 'resource', verb, apiGroup, resource, subresource, namespace, name: only };
  }
  return { kind: 'resource', verb, apiGroup, resource, subresource, namespace, name };
}

export function describeAttributes(a: RequestAttributes): string {
  if (a.kind === 'nonResource') return `${a.verb} ${a.path}`;
  const res = `${a.resource}${a.subresource ? '/' + a.subresource : ''}${a.apiGroup ? '.' + a.apiGroup : ''}`;
  return `${a.verb} ${res}${a.name ? ' "' + a.name + '"' : ''} ${a.namespace ? 'in namespace ' + a.namespace : 'cluster-wide'}`;
}
