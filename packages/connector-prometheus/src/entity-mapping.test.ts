import { InvalidInputError, type Labels } from '@aisre/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEntityMapper } from './entity-mapping';

/** Evaluates the mapping's PromQL matchers (`a="x", b=~"re"`) against a label set, as Prometheus would. */
function matches(selector: string, labels: Labels): boolean {
  const matcher = /([A-Za-z_][A-Za-z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"/g;
  for (const [, name = '', operator, quoted = ''] of selector.matchAll(matcher)) {
    const value = labels[name] ?? '';
    const text = JSON.parse(`"${quoted}"`) as string;
    if (operator === '=' && value !== text) return false;
    if (operator === '=~') {
      const insensitive = text.startsWith('(?i)');
      const pattern = new RegExp(`^(?:${insensitive ? text.slice(4) : text})$`, insensitive ? 'i' : '');
      if (!pattern.test(value)) return false;
    }
  }
  return true;
}

describe('createEntityMapper', () => {
  const mapper = createEntityMapper();

  it('maps the lab labels to the lab refs', () => {
    const redis = {
      entity_kind: 'redis',
      namespace: 'lab',
      service: 'cache',
      job: 'redis',
      instance: '127.0.0.1:9121',
    };
    expect(mapper.entityOf(redis)).toBe('redis:lab/cache');
    expect(
      mapper.entityOf({ entity_kind: 'postgres', namespace: 'lab', service: 'db', job: 'postgres' }),
    ).toBe('postgres:lab/db');
  });

  it('falls back from namespace to env, from service to job, and to default, service and alert', () => {
    expect(mapper.entityOf({ env: 'lab', job: 'redis', service: 'cache' })).toBe('service:lab/cache');
    expect(mapper.entityOf({ job: 'node', instance: 'host:9100' })).toBe('service:default/node');
    expect(mapper.entityOf({ entity_kind: 'Redis', job: 'sessions' })).toBe('redis:default/sessions');
    expect(mapper.entityOf({ alertname: 'Watchdog' })).toBe('alert:default/Watchdog');
    expect(mapper.entityOf({ instance: 'x:1' })).toBeUndefined();
  });

  it('prefers an explicit, well-formed entity label', () => {
    expect(mapper.entityOf({ entity: 'postgres:shop/cart-db', job: 'pg' })).toBe('postgres:shop/cart-db');
    expect(mapper.entityOf({ entity: 'not a ref', job: 'pg' })).toBe('service:default/pg');
  });

  it('replaces characters a ref cannot hold', () => {
    expect(mapper.entityOf({ namespace: 'team a', service: 'cart/api' })).toBe('service:team_a/cart_api');
    expect(createEntityMapper({ templates: ['{k}:x/{n}'] }).entityOf({ k: 'My Kind', n: 'a' })).toBe(
      'my-kind:x/a',
    );
  });

  it('selects the series of an entity with exact PromQL matchers', () => {
    expect(mapper.selectorsOf('redis:lab/cache')).toEqual([
      'entity="redis:lab/cache"',
      'entity_kind=~"(?i)redis", namespace="lab", service="cache"',
      'entity_kind=~"(?i)redis", namespace="lab", service="", job="cache"',
      'entity_kind=~"(?i)redis", namespace="", env="lab", service="cache"',
      'entity_kind=~"(?i)redis", namespace="", env="lab", service="", job="cache"',
    ]);
    expect(mapper.selectorsOf('service:default/node')).toContain('service="node"');
    expect(mapper.selectorsOf('service:team_a/cart')).toContain('namespace=~"team.a", service="cart"');
  });

  it('narrows by the other parts when one has two placeholders, and gives up when none can', () => {
    const custom = createEntityMapper({ entityLabel: null, templates: ['service:{namespace}/{app}-{tier}'] });
    expect(custom.entityOf({ namespace: 'shop', app: 'cart', tier: 'api' })).toBe('service:shop/cart-api');
    expect(custom.selectorsOf('service:shop/cart-api')).toEqual(['namespace="shop"']);
    expect(custom.selectorsOf('redis:shop/x')).toEqual([]);
    const loose = createEntityMapper({ entityLabel: null, templates: ['service:default/{app}-{tier}'] });
    expect(loose.selectorsOf('service:default/cart-api')).toBeUndefined();
  });

  it('names the labels that identify an entity', () => {
    expect([...mapper.identityLabels].sort()).toEqual([
      'entity',
      'entity_kind',
      'env',
      'job',
      'namespace',
      'service',
    ]);
  });

  it('rejects malformed templates and label names with an InvalidInputError', () => {
    for (const templates of [['no-colon'], ['kind:{ns}'], ['{bad-label}:a/b'], ['a:b/{x'], [':a/b']]) {
      expect(() => createEntityMapper({ templates }), templates[0]).toThrow(InvalidInputError);
    }
    expect(() => createEntityMapper({ entityLabel: 'bad label' })).toThrow(/not a Prometheus label name/);
  });

  it('always selects the series it maps (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._/:-]{0,11}$/);
    const labelSets = fc.record(
      {
        entity_kind: fc.constantFrom('redis', 'postgres', 'Queue', 'web app'),
        namespace: word,
        env: word,
        service: word,
        job: word,
        instance: word,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(labelSets, (labels: Labels) => {
        const ref = mapper.entityOf(labels);
        if (!ref) return;
        const selectors = mapper.selectorsOf(ref);
        expect(selectors === undefined || selectors.some((selector) => matches(selector, labels))).toBe(true);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
