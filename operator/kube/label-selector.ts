// A metav1.LabelSelector as the query string the API server takes (`labelSelector=`), so the operator can list
// and watch exactly the pods and ReplicaSets of a Deployment, by the Deployment's own selector.

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

/** `a=b,c in (d,e),!f`; undefined when the selector is empty or uses an operator the API does not define. */
export function labelSelectorQuery(selector: LabelSelector | undefined | null): string | undefined {
  if (!selector) return undefined;
  const parts = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
      default:
        return undefined;
    }
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}
