import { describe, expect, it } from 'vitest';
import { parseConnectionValue, resolveConnectionTarget } from './connection-targets';
import { edgeKey, parseEdgeKey } from './edge-kinds';
import { formatEntityRef, isEntityRef, parseEntityRef } from './entity-ref';
import { canonicalJson, isJsonValue } from './json-value';
import { teamOf, tierOf } from './kubernetes-metadata';
import { parseBytes, parseMillicores } from './kubernetes-quantities';
import { redactSecrets } from './secret-redaction';

describe('entity references and edge keys', () => {
  it('parse and format', () => {
    expect(parseEntityRef('redis:shop/session-cache')).toEqual({
      kind: 'redis',
      namespace: 'shop',
      name: 'session-cache',
    });
    expect(parseEntityRef('doc:shop/runbooks/redis.md')?.name).toBe('runbooks/redis.md');
    expect(parseEntityRef('cart')).toBeUndefined();
    expect(parseEntityRef('Service:shop/cart')).toBeUndefined();
    expect(formatEntityRef('service', 'shop', 'cart')).toBe('service:shop/cart');
    expect(isEntityRef('node:global/worker-1')).toBe(true);
    const key = edgeKey('service:shop/cart', 'depends-on', 'redis:shop/cache');
    expect(key).toBe('service:shop/cart -[depends-on]-> redis:shop/cache');
    expect(parseEdgeKey(key)).toEqual({
      source: 'service:shop/cart',
      kind: 'depends-on',
      target: 'redis:shop/cache',
    });
  });
});

describe('connection strings', () => {
  const context = {
    namespace: 'shop',
    isNamespace: (namespace: string) => ['shop', 'platform'].includes(namespace),
  };
  const target = (value: string, name = 'X_URL') => {
    const endpoint = parseConnectionValue(value);
    return endpoint === undefined ? undefined : resolveConnectionTarget(endpoint, name, context);
  };

  it('strip credentials and tell the datastore kind', () => {
    expect(target('redis://:hunter2@session-cache.shop.svc.cluster.local:6379/0')).toMatchObject({
      kind: 'redis',
      namespace: 'shop',
      name: 'session-cache',
      endpoint: 'redis://session-cache.shop.svc.cluster.local:6379/0',
    });
    expect(target('postgresql://cart:s3cret@cart-db:5432/cart?sslmode=require&password=x')).toMatchObject({
      kind: 'postgres',
      name: 'cart-db',
      endpoint: 'postgresql://cart@cart-db:5432/cart?sslmode=require',
    });
    expect(target('jdbc:postgresql://orders-db.platform:5432/orders')).toMatchObject({
      kind: 'postgres',
      namespace: 'platform',
      name: 'orders-db',
    });
    expect(target('host=ledger-db port=5432 user=ledger password=pw dbname=ledger', 'DB_CONN')).toMatchObject(
      {
        kind: 'postgres',
        name: 'ledger-db',
        endpoint: 'ledger-db:5432',
      },
    );
    expect(target('session-cache:6379,password=pw,ssl=False', 'CACHE_CONNECTION')).toMatchObject({
      kind: 'redis',
      name: 'session-cache',
    });
    expect(
      target(
        'kafka-0.kafka.shop.svc.cluster.local:9092,kafka-1.kafka.shop.svc.cluster.local:9092',
        'KAFKA_BROKERS',
      ),
    ).toMatchObject({
      kind: 'queue',
      name: 'kafka',
    });
    expect(target('payments', 'PAYMENTS_HOST')).toMatchObject({
      kind: 'service',
      name: 'payments',
      explicitKind: false,
    });
    expect(target('https://api.stripe.com/v1')).toMatchObject({
      kind: 'external',
      namespace: 'global',
      name: 'api.stripe.com',
    });
    expect(target('session-cache', 'REDIS_HOST')).toMatchObject({ kind: 'redis' });
    expect(target('10.0.0.7:5432')).toBeUndefined();
    expect(target('localhost:6379')).toBeUndefined();
    expect(target('$(REDIS_URL)')).toBeUndefined();
  });
});

describe('redactSecrets', () => {
  it('removes passwords, tokens and keys from free text', () => {
    const text = [
      'REDIS_URL=redis://:hunter2@cache:6379',
      'postgres://cart:s3cret@cart-db/cart',
      'password: swordfish',
      'Authorization: Bearer abcdefghijklmnop',
      'key AKIAIOSFODNN7EXAMPLE',
      'https://x.example.com/?api_key=zzz&q=1',
    ].join('\n');
    const redacted = redactSecrets(text);
    for (const secret of [
      'hunter2',
      's3cret',
      'swordfish',
      'abcdefghijklmnop',
      'AKIAIOSFODNN7EXAMPLE',
      'zzz',
    ]) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain('redis://cache:6379');
    expect(redacted).toContain('postgres://cart@cart-db/cart');
    expect(redacted).toContain('q=1');
  });
});

describe('quantities and JSON values', () => {
  it('parse Kubernetes quantities', () => {
    expect(parseMillicores('250m')).toBe(250);
    expect(parseMillicores('1.5')).toBe(1500);
    expect(parseMillicores(2)).toBe(2000);
    expect(parseBytes('256Mi')).toBe(268435456);
    expect(parseBytes('1G')).toBe(1e9);
    expect(parseBytes('129e6')).toBe(129e6);
    expect(parseBytes('lots')).toBeUndefined();
    // Remembered: the same text parses the same the second time.
    expect(parseBytes('lots')).toBeUndefined();
    expect(parseMillicores('250m')).toBe(250);
  });

  it('read owners and tiers from labels, then annotations, by key priority', () => {
    const metadata = (labels?: Record<string, string>, annotations?: Record<string, string>) => ({
      name: 'x',
      labels,
      annotations,
    });
    expect(teamOf(metadata({ owner: 'Payments Core', team: 'Checkout' }))).toBe('checkout');
    expect(teamOf(metadata({ owner: 'payments' }, { 'aisre.dev/team': 'search' }))).toBe('search');
    expect(teamOf(metadata({ team: '  ' }, { team: 'ignored', owner: 'ops' }))).toBe('ops');
    expect(teamOf(metadata({ app: 'cart' }))).toBeUndefined();
    expect(teamOf(metadata(undefined, { 'app.kubernetes.io/owner': 'a/b' }))).toBe('a-b');
    expect(tierOf(metadata({ tier: 'frontend' }))).toBeUndefined();
    expect(tierOf(metadata({ tier: 'tier-2', 'aisre.dev/tier': '1' }))).toBe(1);
    expect(tierOf(metadata({}, { tier: '3' }))).toBe(3);
  });

  it('validate and canonicalise JSON values', () => {
    expect(isJsonValue({ a: [1, 'b', null, true] })).toBe(true);
    expect(isJsonValue({ a: Number.POSITIVE_INFINITY })).toBe(false);
    expect(isJsonValue(new Date())).toBe(false);
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});
