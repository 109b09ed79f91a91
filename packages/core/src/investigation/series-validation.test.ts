import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricSeriesSchema } from '../contracts/telemetry';
import { InvalidInputError } from '../errors/aisre-error';
import { parseMetricSeriesList } from './series-validation';

const schema = metricSeriesSchema.array();
const what = 'core: test metrics';

/** What the zod schema alone makes of a value: its output as JSON text (key order included), or its error. */
function bySchema(value: unknown): { text: string } | { error: string } {
  const result = schema.safeParse(value);
  return result.success ? { text: JSON.stringify(result.data) } : { error: 'invalid' };
}

function byParser(value: unknown): { text: string } | { error: string } {
  try {
    return { text: JSON.stringify(parseMetricSeriesList(value, what)) };
  } catch (error) {
    expect(InvalidInputError.isInstance(error)).toBe(true);
    return { error: 'invalid' };
  }
}

const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 5e-324),
);
const point = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(number, fc.oneof(number, fc.constant(null))) },
  { weight: 1, arbitrary: fc.array(fc.oneof(number, fc.constant(null), fc.string()), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.anything() },
);
const labels = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.anything() },
);
const series = fc.record(
  {
    metric: fc.oneof(fc.constantFrom('cpu_seconds', ''), fc.anything()),
    entity: fc.oneof(fc.constantFrom('service:shop/cart', 'redis:shop/cache', 'not a ref'), fc.anything()),
    labels,
    unit: fc.oneof(fc.constantFrom('seconds', ''), fc.anything()),
    points: fc.oneof(
      { weight: 8, arbitrary: fc.array(point, { maxLength: 6 }) },
      { weight: 1, arbitrary: fc.anything() },
    ),
    extra: fc.anything(),
  },
  { requiredKeys: ['metric', 'entity', 'labels', 'unit', 'points'] },
);

describe('parseMetricSeriesList', () => {
  it('gives exactly what the zod schema gives (same copy, same key order), or its error', () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 8, arbitrary: fc.array(series, { maxLength: 3 }) },
          { weight: 1, arbitrary: fc.anything() },
        ),
        (value) => {
          const expected = bySchema(value);
          seen['text' in expected ? 'valid' : 'invalid']++;
          expect(byParser(value)).toEqual(expected);
        },
      ),
      { numRuns: 3000, seed: 20260302 },
    );
    // Both sides of the contract are exercised.
    expect(seen.valid).toBeGreaterThan(300);
    expect(seen.invalid).toBeGreaterThan(300);
  });

  it('copies: the answer shares no array or object with the connector value', () => {
    const input = [
      { unit: 's', points: [[1, 2]], labels: { a: 'b' }, entity: 'service:shop/cart', metric: 'm' },
    ];
    const [copy] = parseMetricSeriesList(input, what);
    expect(copy).toEqual({
      metric: 'm',
      entity: 'service:shop/cart',
      labels: { a: 'b' },
      unit: 's',
      points: [[1, 2]],
    });
    expect(Object.keys(copy ?? {})).toEqual(['metric', 'entity', 'labels', 'unit', 'points']);
    expect(copy?.points).not.toBe(input[0]?.points);
    expect(copy?.points[0]).not.toBe(input[0]?.points[0]);
    expect(copy?.labels).not.toBe(input[0]?.labels);
  });

  it('names the bad field through the schema', () => {
    const bad = [
      {
        metric: 'm',
        entity: 'service:shop/cart',
        labels: {},
        unit: '',
        points: [
          [1, 2],
          [2, Number.NaN],
        ],
      },
    ];
    expect(() => parseMetricSeriesList(bad, what)).toThrow(
      /^core: test metrics is invalid: \[0\]\.points\[1\]\[1\]/,
    );
    expect(() => parseMetricSeriesList({ series: [] }, what)).toThrow(InvalidInputError);
    const oddLabels = [
      { metric: 'm', entity: 'service:shop/cart', labels: { [Symbol('x')]: 'y' }, unit: '', points: [] },
    ];
    expect(bySchema(oddLabels)).toEqual({ error: 'invalid' });
    expect(() => parseMetricSeriesList(oddLabels, what)).toThrow(InvalidInputError);
  });
});
