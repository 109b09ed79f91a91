import { describe, expect, it } from 'vitest';
import { createShopScope, shop } from './reasoner-test-scope.fixture';
import { describeScope, entitiesInReach } from './scope-description';

describe('describeScope', () => {
  it('describes the trigger, the reach, the changes and the known faults per kind', () => {
    expect(describeScope(createShopScope())).toBe(
      [
        'Trigger: alert from alertmanager, severity P3, on service:shop/recommendation at 2026-03-02T02:40:00Z',
        'Summary: RecommendationLatencyHigh: p99 above 500 ms for 10 minutes',
        'Labels: alertname=RecommendationLatencyHigh, team=discovery',
        'Telemetry is read as of 2026-03-02T02:40:00.000Z.',
        '',
        'Entities that can cause the symptom (hops from the alerting entity, kind, depends on):',
        `- ${shop.recommendation} (0 hops, service; depends on ${shop.cache})`,
        `- ${shop.cache} (1 hop, redis)`,
        `- ${shop.backup} (2 hops, cronjob; depends on ${shop.cache})`,
        '',
        'Recent changes (latest first):',
        '- 2026-03-02T02:10:00Z deploy of service:shop/frontend (outside the reach): frontend v42 rolled out',
        '- 2026-03-02T02:00:00Z to 2026-03-02T02:30:00Z job-run of cronjob:shop/cache-backup: cache-backup run',
        '',
        'Known fault ids per entity kind (`degraded` = something is wrong with the entity, fault unknown):',
        '- cronjob: cronjob.resource-contention',
        '- redis: config.bad-change, cpu.saturation, disk.full, redis.memory-fragmentation, redis.memory-pressure',
        '- service: config.bad-change, cpu.saturation, deploy.bad-release, disk.full, memory.leak, network.latency',
      ].join('\n'),
    );
  });

  it('gives the same text whatever order the system was scanned in', () => {
    const forward = createShopScope();
    const reverse = createShopScope({ reverseInsertion: true, changes: [...forward.changes].reverse() });
    expect(describeScope(reverse)).toBe(describeScope(forward));
    expect(entitiesInReach(forward).map((entry) => entry.hops)).toEqual([0, 1, 2]);
  });

  it('caps long lists and flattens untrusted text to one line', () => {
    const scope = createShopScope({
      triggerSummary: `line one\nline two ${'x'.repeat(400)}`,
      changes: Array.from({ length: 3 }, (_, index) => ({
        id: `c${index}`,
        entity: shop.cache,
        kind: 'config' as const,
        at: `2026-03-02T02:0${index}:00Z`,
        summary: `maxmemory-policy change ${index}`,
        attributes: {},
      })),
    });
    const text = describeScope(scope, { changes: 2, entities: 1 });
    expect(text).toContain('Summary: line one line two xxx');
    expect(text).toMatch(/\nSummary: .{199}…\n/);
    expect(text).toContain('- … 2 more entities not shown');
    expect(text).toContain('- … 1 more change not shown');
    expect(text).toContain('config of redis:shop/recommendation-cache: maxmemory-policy change 2');
    expect(text).not.toContain('maxmemory-policy change 0');
  });
});
