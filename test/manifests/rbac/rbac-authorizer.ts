// Decides whether the rendered RBAC objects allow a request to a ServiceAccount, with the RBAC authorizer's
// matching rules: ClusterRoleBindings grant everywhere, RoleBindings only in their namespace; a rule matches
// when apiGroups, resources (incl. `resource/subresource`), verbs and resourceNames all match ('*' = any).
import type { ResourceAttributes } from './request-attributes.js';

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface RbacObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string }>;
}

export interface Grant {
  /** '' = every namespace (through a ClusterRoleBinding). */
  namespace: string;
  rule: PolicyRule;
  source: string;
}

/** The rules bound to ServiceAccount namespace/name, each with the namespace it applies in. */
export function grantsFor(objects: RbacObject[], serviceAccount: { namespace: string; name: string }): Grant[] {
  const isSubject = (b: RbacObject) =>
    (b.subjects ?? []).some(
      (s) => s.kind === 'ServiceAccount' && s.name === serviceAccount.name && s.namespace === serviceAccount.namespace,
    );
  const role = (kind: string, name: string, namespace?: string) =>
    objects.find(
      (o) =>
        o.kind === kind && o.metadata.name === name && (kind === 'ClusterRole' || o.metadata.namespace === namespace),
    );
  const grants: Grant[] = [];
  for (const b of objects.filter(isSubject)) {
    if (b.kind !== 'ClusterRoleBinding' && b.kind !== 'RoleBinding') continue;
    const ref = b.roleRef!;
    const r = role(ref.kind, ref.name, b.metadata.namespace);
    if (!r) throw new Error(`${b.kind}/${b.metadata.name} refers to missing ${ref.kind}/${ref.name}`);
    const namespace = b.kind === 'ClusterRoleBinding' ? '' : b.metadata.namespace!;
    for (const rule of r.rules ?? [])
      grants.push({ namespace, rule, source: `${r.kind}/${r.metadata.name} via ${b.kind}/${b.metadata.name}` });
  }
  return grants;
}

const has = (list: string[] | undefined, value: string) => (list ?? []).includes('*') || (list ?? []).includes(value);

export function ruleAllows(rule: PolicyRule, a: ResourceAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!has(rule.apiGroups, a.apiGroup)) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources = rule.resources ?? [];
  const resourceOk =
    resources.includes('*') ||
    resources.includes(combined) ||
    (a.subresource !== '' && resources.includes(`*/${a.subresource}`));
  if (!resourceOk) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) return a.name !== '' && rule.resourceNames.includes(a.name);
  return true;
}

/** The grant that allows the request, or undefined. */
export function authorize(grants: Grant[], a: ResourceAttributes): Grant | undefined {
  return grants.find((g) => (g.namespace === '' || g.namespace === a.namespace) && ruleAllows(g.rule, a));
}
