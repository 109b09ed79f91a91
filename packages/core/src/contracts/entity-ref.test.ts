import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/aisre-error';
import { entityRefSchema, formatEntityRef, isEntityRef, parseEntityRef } from './entity-ref';

const kind = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const namespace = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,12}$/);
const name = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._:@+-]{0,20}$/);

describe('EntityRef', () => {
  it('parses and formats the canonical form', () => {
    expect(parseEntityRef('redis:shop/session-cache')).toEqual({
      kind: 'redis',
      namespace: 'shop',
      name: 'session-cache',
    });
    expect(formatEntityRef({ kind: 'service', namespace: 'shop', name: 'cart' })).toBe('service:shop/cart');
  });

  it('round-trips any valid parts', () => {
    fc.assert(
      fc.property(kind, namespace, name, (k, n, m) => {
        const ref = formatEntityRef({ kind: k, namespace: n, name: m });
        expect(isEntityRef(ref)).toBe(true);
        expect(parseEntityRef(ref)).toEqual({ kind: k, namespace: n, name: m });
        expect(entityRefSchema.parse(ref)).toBe(ref);
      }),
    );
  });

  it.each([
    ['', 'kind:namespace/name'],
    ['service/shop/cart', 'kind:namespace/name'],
    ['service:shop', 'kind:namespace/name'],
    ['Service:shop/cart', 'kind "Service"'],
    ['service:/cart', 'namespace ""'],
    ['service:shop/', 'name ""'],
    ['service:shop/a/b', 'name "a/b"'],
    ['service:sh op/cart', 'namespace "sh op"'],
  ])('rejects %j naming what is wrong', (value, fragment) => {
    expect(isEntityRef(value)).toBe(false);
    expect(entityRefSchema.safeParse(value).success).toBe(false);
    expect(() => parseEntityRef(value)).toThrow(InvalidInputError);
    expect(() => parseEntityRef(value)).toThrow(fragment);
  });

  it('refuses to format bad parts', () => {
    expect(() => formatEntityRef({ kind: 'service', namespace: 'shop', name: 'a/b' })).toThrow(
      InvalidInputError,
    );
  });
});
