import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianInPlace } from './median-selection';

/** The definition: sort, take the middle (or the mean of the two middles). */
function sortedMedian(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const value = fc.oneof(
  { weight: 6, arbitrary: fc.double() },
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
);

describe('medianInPlace', () => {
  it('is exactly the sorted median (signed zeros, infinities and NaN included)', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), (values) => {
        expect(Object.is(medianInPlace(Float64Array.from(values)), sortedMedian(values))).toBe(true);
      }),
      { numRuns: 5000, seed: 20260302 },
    );
  });

  it('reads only the first `length` values', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 100 }), fc.array(value, { maxLength: 20 }), (head, tail) => {
        const values = Float64Array.from([...head, ...tail]);
        expect(Object.is(medianInPlace(values, head.length), sortedMedian(head))).toBe(true);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('stays exact on orderings that defeat a middle pivot', () => {
    const length = 4001;
    const shapes: Record<string, (index: number) => number> = {
      ascending: (index) => index,
      descending: (index) => -index,
      constant: () => 5,
      organPipe: (index) => Math.min(index, length - index),
      sawtooth: (index) => index % 7,
      zeros: (index) => (index % 3 === 0 ? -0 : 0),
    };
    for (const [name, shape] of Object.entries(shapes)) {
      for (const size of [length, length - 1]) {
        const values = Array.from({ length: size }, (_, index) => shape(index));
        expect(Object.is(medianInPlace(Float64Array.from(values)), sortedMedian(values)), name).toBe(true);
      }
    }
  });
});
