// Which resource a request path names: the resource type (by group, version and plural), the namespace, the
// object's name and the subresource, from the path segments after /api/<v> or /apis/<g>/<v>.
import type { ApiState } from '../api-state.js';
import type { ResourceType } from '../registry/resource-types.js';

export interface ResourceTarget {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** `segs` are the path segments after the group version; undefined when they name no resource. */
export function resolveTarget(
  state: ApiState,
  group: string,
  version: string,
  segs: string[],
): ResourceTarget | undefined {
  const inGv = (plural: string) => state.registry.find(group, version, plural);
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    const rt = inGv(segs[2]);
    if (rt?.namespaced && segs.length <= 5) return { rt, namespace: segs[1], name: segs[3], subresource: segs[4] };
  }
  const rt = inGv(segs[0]);
  if (!rt || segs.length > 3) return undefined;
  if (rt.namespaced) return segs.length === 1 ? { rt } : undefined; // all-namespaces list/watch
  return { rt, name: segs[1], subresource: segs[2] };
}
