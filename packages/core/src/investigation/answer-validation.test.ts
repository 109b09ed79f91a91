import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { topologySnapshotSchema } from '../contracts/connector';
import { metricSeriesSchema } from '../contracts/telemetry';
import { InvalidInputError } from '../errors/aisre-error';
import { parseMetricSeriesList, parseTopologySnapshot } from './answer-validation';

const what = 'core: test answer';

type Outcome = { text: string } | { error: 'invalid' };

/** What the zod schema alone makes of a value: its output as JSON text (key order included), or its error. */
function bySchema(schema: z.ZodType, value: unknown): Outcome {
  const result = schema.safeParse(value);
  return result.success ? { text: JSON.stringify(result.data) } : { error: 'invalid' };
}

function byParser(parse: (value: unknown, what: string) => unknown, value: unknown): Outcome {
  try {
    return { text: JSON.stringify(parse(value, what)) };
  } catch (error) {
    expect(InvalidInputError.isInstance(error)).toBe(true);
    return { error: 'invalid' };
  }
}

/** Checks the parser against the schema on every generated value, and that both outcomes occur often. */
function agreesWithSchema(
  schema: z.ZodType,
  parse: (value: unknown, what: string) => unknown,
  values: fc.Arbitrary<unknown>,
): void {
  const seen = { valid: 0, invalid: 0 };
  fc.assert(
    fc.property(values, (value) => {
      const expected = bySchema(schema, value);
      seen['text' in expected ? 'valid' : 'invalid']++;
      expect(byParser(parse, value)).toEqual(expected);
    }),
    { numRuns: 3000, seed: 20260302 },
  );
  expect(seen.valid).toBeGreaterThan(300);
  expect(seen.invalid).toBeGreaterThan(300);
}

class Custom {
  readonly a = 1;
}
const symbolKeyed = { [Symbol('s')]: 'x', a: 'b' };
/** Objects a hand-written check could get wrong: own `__proto__`, `constructor` keys, no prototype, symbols. */
const oddObjects = fc.constantFrom<unknown>(
  JSON.parse('{"__proto__": "x"}'),
  JSON.parse('{"constructor": "x", "a": "b"}'),
  { constructor: () => 1 },
  Object.assign(Object.create(null), { a: 'b' }),
  symbolKeyed,
  new Custom(),
  new Date(0),
  new Array(3).fill(1, 0, 1),
  {},
);
const key = fc.oneof(fc.string(), fc.constantFrom('constructor', 'toString', '0', '10', 'a'));
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 5e-324),
);

describe('parseMetricSeriesList', () => {
  const point = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(number, fc.oneof(number, fc.constant(null))) },
    { weight: 1, arbitrary: fc.array(fc.oneof(number, fc.constant(null), fc.string()), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.oneof(fc.anything(), oddObjects) },
  );
  const labels = fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(key, fc.string(), { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(key, fc.anything(), { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.oneof(fc.anything(), oddObjects) },
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

  it('gives exactly what the zod schema gives (same copy, same key order), or its error', () => {
    agreesWithSchema(
      metricSeriesSchema.array(),
      parseMetricSeriesList,
      fc.oneof(
        { weight: 8, arbitrary: fc.array(series, { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.anything() },
      ),
    );
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
    expect(() => parseMetricSeriesList(bad, 'core: test metrics')).toThrow(
      /^core: test metrics is invalid: \[0\]\.points\[1\]\[1\]/,
    );
    expect(() => parseMetricSeriesList({ series: [] }, what)).toThrow(InvalidInputError);
    const oddLabels = [
      { metric: 'm', entity: 'service:shop/cart', labels: symbolKeyed, unit: '', points: [] },
    ];
    expect(bySchema(metricSeriesSchema.array(), oddLabels)).toEqual({ error: 'invalid' });
    expect(() => parseMetricSeriesList(oddLabels, what)).toThrow(InvalidInputError);
  });
});

describe('parseTopologySnapshot', () => {
  const json = fc.oneof(
    { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.oneof(number, oddObjects, fc.anything({ maxDepth: 2 })) },
  );
  const attributes = fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(key, json, { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.oneof(oddObjects, fc.anything({ maxDepth: 1 })) },
  );
  const ref = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('service:shop/cart', 'redis:shop/cache', 'postgres:shop/db') },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('cart', ''), fc.anything({ maxDepth: 0 })) },
  );
  const entity = fc.record(
    { ref, attributes, extra: fc.anything({ maxDepth: 1 }) },
    { requiredKeys: ['ref', 'attributes'] },
  );
  const relation = fc.record(
    {
      from: ref,
      to: ref,
      kind: fc.oneof(fc.constantFrom('depends-on', 'calls', ''), fc.anything({ maxDepth: 0 })),
      attributes,
    },
    { requiredKeys: ['from', 'to', 'kind', 'attributes'] },
  );
  const snapshot = fc.record({
    observedAt: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('2026-03-02T01:00:00Z', '2026-03-02T01:00:00.123+02:00') },
      { weight: 1, arbitrary: fc.constantFrom('2026-03-02', 'yesterday', 'T', '2026-13-02T01:00:00Z') },
    ),
    entities: fc.array(entity, { maxLength: 3 }),
    relations: fc.array(relation, { maxLength: 3 }),
    kubernetesObjects: fc.array(json, { maxLength: 2 }),
  });

  it('gives exactly what the zod schema gives, or its error', () => {
    agreesWithSchema(
      topologySnapshotSchema,
      parseTopologySnapshot,
      fc.oneof({ weight: 12, arbitrary: snapshot }, { weight: 1, arbitrary: fc.anything() }),
    );
  });

  it('leaves shared and cyclic values to the schema', () => {
    const shared = { tier: 1 };
    const twice = {
      observedAt: '2026-03-02T01:00:00Z',
      entities: [
        { ref: 'service:shop/cart', attributes: shared },
        { ref: 'service:shop/web', attributes: shared },
      ],
      relations: [],
      kubernetesObjects: [],
    };
    expect(byParser(parseTopologySnapshot, twice)).toEqual(bySchema(topologySnapshotSchema, twice));
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const looping = { ...twice, kubernetesObjects: [cyclic] };
    // The schema copies the cycle; so does the parser, by handing it over.
    const copy = parseTopologySnapshot(looping, what);
    const object = copy.kubernetesObjects[0] as Record<string, unknown>;
    expect(object.self).toBe(object);
    expect(copy).toEqual(topologySnapshotSchema.parse(looping));
  });

  it('copies: nothing of the answer is shared with the connector value', () => {
    const input = {
      kubernetesObjects: [{ kind: 'Deployment', spec: { replicas: 3 } }],
      relations: [{ to: 'redis:shop/cache', from: 'service:shop/cart', kind: 'depends-on', attributes: {} }],
      entities: [{ attributes: { tier: 1 }, ref: 'service:shop/cart' }],
      observedAt: '2026-03-02T01:00:00Z',
    };
    const copy = parseTopologySnapshot(input, what);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(topologySnapshotSchema.parse(input)));
    expect(copy.entities[0]?.attributes).not.toBe(input.entities[0]?.attributes);
    expect(copy.kubernetesObjects[0]).not.toBe(input.kubernetesObjects[0]);
  });
});
