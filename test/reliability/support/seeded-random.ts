// A small seeded PRNG (mulberry32), so a failing churn run can be replayed with the same RELIABILITY_SEED.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
}

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    between: (min, max) => min + next() * (max - min),
  };
}

/** The run's seed: RELIABILITY_SEED if set, else a fixed default (the quick suite is deterministic in its script). */
export function runSeed(): number {
  const env = process.env.RELIABILITY_SEED;
  return env && /^\d+$/.test(env) ? Number(env) : 20261127;
}

/** RELIABILITY_FULL=1 scales counts and durations up (npm run test:reliability). */
export const FULL = process.env.RELIABILITY_FULL === '1';
