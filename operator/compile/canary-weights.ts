// A canary group's shares, as Emissary normalises them (emissary.md §1.5): members with a weight first, in
// namespace/name order, taking their weight; the members without one split what is left evenly. Weights above
// 100 in total are an error on the whole group. One difference, deliberate: when every member has a weight and
// they total less than 100, Emissary lets the rest fall through to the next route (a shorter prefix, another
// service); here the last member takes it, so a group never sends its requests elsewhere.

export interface WeightPlan<T> {
  /** Members in traffic order with their percent (fractional when the rest does not divide evenly). */
  shares: Array<{ member: T; percent: number }>;
}

export function planWeights<T extends { weight?: number }>(members: readonly T[]): WeightPlan<T> | { error: string } {
  if (members.length === 1) return { shares: [{ member: members[0], percent: 100 }] };
  const weighted = members.filter((m) => m.weight !== undefined);
  const rest = members.filter((m) => m.weight === undefined);
  const total = weighted.reduce((n, m) => n + m.weight!, 0);
  if (total > 100)
    return {
      error: `spec.weight: Invalid value: the weights of the Mappings with this match add up to ${total}, more than 100`,
    };
  const shares = [
    ...weighted.map((member) => ({ member, percent: member.weight! })),
    ...rest.map((member) => ({ member, percent: (100 - total) / rest.length })),
  ];
  if (rest.length === 0) shares[shares.length - 1].percent += 100 - total;
  return { shares };
}
