/** A source of uniform numbers in [0, 1); injected so jitter is deterministic in tests. */
export type Random = () => number;

export const systemRandom: Random = () => Math.random();

/** Deterministic PRNG (mulberry32) for tests, simulators and seeded data. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
