// How deeply a decoded value may nest. kube-apiserver's JSON decoder allows 10 000 levels; ours allows 100,
// because every write goes through recursive code (copies, patches, managedFields) whose stack a deeper object
// would overflow. Request bodies, objects built by patches and saved state are all checked.

/** Objects deeper than this are refused on decode (kube-apiserver's JSON decoder allows 10 000). */
export const MAX_NESTING_DEPTH = 100;

/** The deepest nesting of arrays and objects in `value` (0 for a scalar), stopping once past `limit`. */
export function nestingDepth(value: unknown, limit = MAX_NESTING_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}
