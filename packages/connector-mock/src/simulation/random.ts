/**
 * Seeded randomness. Every random choice of the simulator comes from a generator derived from the scenario
 * seed and a key naming what it is for (`latency|service:shop/cart`), so a series never depends on which
 * other series were computed first.
 */

/** A 32-bit FNV-1a hash of `text`, with a final avalanche so nearby strings spread apart. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The mulberry32 generator: a fast 32-bit PRNG returning numbers in `[0, 1)`. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded random source with the distributions the simulator needs. */
export interface RandomSource {
  /** Uniform in `[0, 1)`. */
  next(): number;
  /** Uniform in `[low, high)`. */
  between(low: number, high: number): number;
  /** An integer in `[low, high]`. */
  integer(low: number, high: number): number;
  /** Standard normal. */
  normal(): number;
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T;
  /** A count drawn so that its mean is `mean` (Poisson for small means, rounded normal for large ones). */
  count(mean: number): number;
  /** Lower-case hex digits. */
  hex(length: number): string;
}

/**
 * Creates the random source for `key` under `seed`.
 *
 * @param seed - the scenario seed
 * @param key - what the randomness is for; the same key always gives the same sequence
 */
export function createRandom(seed: number, key: string): RandomSource {
  const next = mulberry32(hashString(`${seed >>> 0}|${key}`));
  let spareNormal: number | undefined;
  const source: RandomSource = {
    next,
    between: (low, high) => low + (high - low) * next(),
    integer: (low, high) => low + Math.floor(next() * (high - low + 1)),
    normal() {
      if (spareNormal !== undefined) {
        const value = spareNormal;
        spareNormal = undefined;
        return value;
      }
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spareNormal = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('connector-mock: cannot pick from an empty list');
      return item;
    },
    count(mean) {
      if (!(mean > 0)) return 0;
      if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * source.normal()));
      const limit = Math.exp(-mean);
      let product = next();
      let result = 0;
      while (product > limit) {
        product *= next();
        result++;
      }
      return result;
    },
    hex(length) {
      let text = '';
      while (text.length < length)
        text += Math.floor(next() * 0x100000000)
          .toString(16)
          .padStart(8, '0');
      return text.slice(0, length);
    },
  };
  return source;
}

/**
 * Zero-mean, smooth noise: an AR(1) series with lag-one correlation `persistence` and standard deviation
 * `deviation`, the background variance of a metric.
 *
 * @param random - the source to draw from
 * @param length - number of points
 * @param deviation - stationary standard deviation
 * @param persistence - correlation between neighbouring points, 0..1
 */
export function smoothNoise(
  random: RandomSource,
  length: number,
  deviation: number,
  persistence = 0.85,
): Float64Array {
  const values = new Float64Array(length);
  const innovation = deviation * Math.sqrt(1 - persistence * persistence);
  let current = deviation * random.normal();
  for (let index = 0; index < length; index++) {
    values[index] = current;
    current = persistence * current + innovation * random.normal();
  }
  return values;
}
