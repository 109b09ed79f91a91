import { describe, expect, it, vi } from 'vitest';
import { defaultBudgetsBySeverity } from '../budget/severity-budgets';
import type { BudgetLimits } from '../contracts/budget';
import type { Report } from '../contracts/report';
import type { Signal } from '../contracts/signal';
import { InvalidInputError } from '../errors/aisre-error';
import { createManualClock } from '../runtime/call-context';
import { createAwareness } from './awareness';
import {
  type AwarenessTestSystemOptions,
  alert,
  breachAt,
  createAwarenessTestSystem,
  hour,
  minute,
  refs,
  threeAm,
} from './awareness-test-system.fixture';
import { flatTrafficModel } from './traffic-model';
import { triageSignal } from './triage-signal';
import type { AwarenessOptions, TriageFactor } from './types';

const cascade: AwarenessTestSystemOptions = { memory: 'growing', corroboration: true };
const quiet: AwarenessTestSystemOptions = { memory: 'flat', corroboration: false };
const redisLatency = () => alert(refs.cache, 'RedisLatencyHigh');

function setUp(system: AwarenessTestSystemOptions, extra: Partial<AwarenessOptions> = {}) {
  const connector = createAwarenessTestSystem(system);
  const awareness = createAwareness({ connectors: [connector], clock: createManualClock(threeAm), ...extra });
  return { connector, awareness };
}

async function triageOne(system: AwarenessTestSystemOptions, extra: Partial<AwarenessOptions> = {}) {
  const { awareness } = setUp(system, extra);
  const ingested = await awareness.ingest(redisLatency());
  if (ingested.status !== 'accepted') throw new Error(`expected accepted, got ${ingested.status}`);
  return awareness.triage(ingested.situation);
}

const factors = (reasons: { factor: TriageFactor }[]) => reasons.map((reason) => reason.factor);

describe('triage: the 3 AM story', () => {
  it('escalates a P3 redis latency alert whose memory reaches its limit at the morning traffic peak', async () => {
    const result = await triageOne(cascade);
    expect(result.decision).toBe('escalate');
    expect(factors(result.reasons)).toEqual(
      expect.arrayContaining(['severity', 'forecast', 'criticality', 'corroboration']),
    );
    expect(result.forecast).toMatchObject({ entity: refs.cache, resource: 'redis-memory', model: 'traffic' });
    const forecastAt = Date.parse(result.forecast?.breachAt ?? '');
    expect(Math.abs(forecastAt - breachAt)).toBeLessThan(15 * minute);
    // A straight line at the 3 AM rate would not see it coming within the day.
    expect(result.forecast?.naiveHoursToLimit ?? Number.POSITIVE_INFINITY).toBeGreaterThan(24);
    const forecast = result.reasons.find((reason) => reason.factor === 'forecast');
    expect(forecast?.detail).toMatch(/reaches the limit at 08:[23]\d UTC/);
    expect(result.reasons.find((reason) => reason.factor === 'criticality')?.detail).toContain(
      'tier 1 via service:shop/frontend',
    );
    const corroboration = result.reasons.find((reason) => reason.factor === 'corroboration')?.detail ?? '';
    expect(corroboration).toContain('service:shop/recommendation p99 latency');
    expect(corroboration).toContain('service:shop/frontend 5xx rate');
    expect(corroboration).not.toContain('redis_latency_percentiles_usec'); // the alert's own symptom
    expect(result.budget).toEqual(defaultBudgetsBySeverity.P3);
    expect(result.score).toBeGreaterThanOrEqual(result.thresholds.escalate);
    const sum = result.reasons.reduce((total, reason) => total + reason.weight, 0);
    expect(Math.min(1, sum)).toBeCloseTo(result.score, 2); // the score is the sum, clamped to 0..1
    expect(result.symptom).toMatchObject({ state: 'sustained', metric: 'redis_latency_percentiles_usec' });
    expect(result).toMatchObject({ urgent: true, corroborated: true });
  });

  it('leaves the same alert alone when memory is flat and nothing nearby corroborates it', async () => {
    const result = await triageOne(quiet);
    expect(['watch', 'ignore']).toContain(result.decision);
    expect(result.budget).toBeNull();
    expect(result.forecast?.hoursToLimit).toBeUndefined();
    expect(factors(result.reasons)).not.toContain('forecast');
    expect(factors(result.reasons)).not.toContain('corroboration');
  });

  it('needs the traffic pattern to see the 09:00 breach: flat traffic makes it no escalation', async () => {
    const result = await triageOne(cascade, { trafficModel: flatTrafficModel });
    expect(result.decision).not.toBe('escalate');
    expect(result.forecast?.model).toBe('time');
    expect(result.forecast?.breachAt).toBeUndefined();
  });

  it('counts past incidents nearby, and says what it could not check when a connector fails', async () => {
    const pastIncidents = vi.fn(() => [
      { entity: refs.cache, fault: 'redis.memory-pressure', at: threeAm - 3 * 24 * hour },
      { entity: refs.database, fault: 'db.connection-pool-saturation', at: threeAm - 24 * hour },
    ]);
    const result = await triageOne(quiet, { pastIncidents });
    expect(pastIncidents).toHaveBeenCalledWith(
      expect.arrayContaining([refs.cache, refs.recommendation, refs.frontend]),
    );
    expect(result.reasons.find((reason) => reason.factor === 'past-incident')).toEqual({
      factor: 'past-incident',
      weight: 0.1,
      detail: 'redis.memory-pressure on redis:shop/recommendation-cache 3 days ago',
    });

    const connector = createAwarenessTestSystem(cascade);
    const broken = {
      ...connector,
      capabilities: {
        ...connector.capabilities,
        metrics: {
          list: async () => [],
          range: async () => {
            throw new Error('prometheus: 503');
          },
        },
      },
    };
    const awareness = createAwareness({ connectors: [broken], clock: createManualClock(threeAm) });
    const ingested = await awareness.ingest(redisLatency());
    const degraded = await awareness.triage(ingested.status === 'accepted' ? ingested.situation.id : '');
    expect(degraded.decision).toBe('watch');
    expect(degraded.unchecked).toContain(
      'redis_memory_used_bytes of redis:shop/recommendation-cache (awareness-test): prometheus: 503',
    );
    await expect(awareness.triage('sit-missing')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('one-shot triageSignal builds the map, scores and decides', async () => {
    const connector = createAwarenessTestSystem(cascade);
    const result = await triageSignal({
      connectors: [connector],
      signal: redisLatency(),
      clock: createManualClock(threeAm),
    });
    expect(result.decision).toBe('escalate');
    await expect(
      triageSignal({
        connectors: [connector],
        signal: { ...redisLatency(), entity: 'nope' } as unknown as Signal,
        clock: createManualClock(threeAm),
      }),
    ).rejects.toSatisfy((error) => InvalidInputError.isInstance(error));
  });
});

describe('intake', () => {
  it('deduplicates re-deliveries and tracks resolutions and flaps', async () => {
    const { awareness } = setUp(quiet);
    const deduplicated = vi.fn();
    awareness.events.on('signal:deduplicated', deduplicated);
    const first = await awareness.ingest(redisLatency());
    const again = await awareness.ingest(redisLatency());
    const third = await awareness.ingest({ ...redisLatency(), id: 'another-delivery-id' });
    expect([first.status, again.status, third.status]).toEqual(['accepted', 'deduplicated', 'deduplicated']);
    expect(deduplicated).toHaveBeenCalledTimes(2);
    const resolved = await awareness.ingest({ ...redisLatency(), status: 'resolved' });
    expect(resolved).toMatchObject({ status: 'deduplicated', delivery: 'resolved' });
    expect(resolved.status === 'deduplicated' && resolved.situation.status).toBe('resolved');
    const flap = await awareness.ingest(
      alert(refs.cache, 'RedisLatencyHigh', { atMs: threeAm + 5 * minute }),
    );
    expect(flap).toMatchObject({ status: 'deduplicated', delivery: 'flap' });
    expect(awareness.situations()).toHaveLength(1);
    expect(awareness.situations()[0]).toMatchObject({ deliveries: 5, flaps: 1, status: 'open' });
    expect(deduplicated.mock.calls.at(-1)?.[0]).toMatchObject({ delivery: 'flap', flaps: 1, deliveries: 5 });
  });

  it('uses the source fingerprint when a signal has one', async () => {
    const { awareness } = setUp(quiet);
    await awareness.ingest({ ...redisLatency(), fingerprint: 'am-123' });
    const other = await awareness.ingest({
      ...redisLatency(),
      labels: { alertname: 'Renamed' },
      fingerprint: 'am-123',
    });
    expect(other).toMatchObject({ status: 'deduplicated', fingerprint: 'am-123' });
  });

  it('groups related alerts into one situation and an unrelated one into another', async () => {
    const { awareness } = setUp(quiet);
    const opened = vi.fn();
    const updated = vi.fn();
    awareness.events.on('situation:opened', opened);
    awareness.events.on('situation:updated', updated);
    const cache = await awareness.ingest(
      alert(refs.cache, 'RedisLatencyHigh', { atMs: threeAm - 5 * minute }),
    );
    const service = await awareness.ingest(alert(refs.recommendation, 'RecommendationLatencyHigh'));
    const database = await awareness.ingest(
      alert(refs.database, 'PostgresConnectionsHigh', { severity: 'P4', atMs: threeAm }),
    );
    const later = await awareness.ingest(alert(refs.cache, 'RedisMemoryHigh', { atMs: threeAm + 2 * hour }));
    const id = (result: typeof cache) => (result.status === 'rejected' ? '' : result.situation.id);
    expect(id(service)).toBe(id(cache));
    expect(id(database)).not.toBe(id(cache));
    expect(id(later)).not.toBe(id(cache)); // same neighbourhood, outside the 30 min window
    expect(opened).toHaveBeenCalledTimes(3);
    expect(updated).toHaveBeenCalledTimes(1);
    const grouped = awareness.situation(id(cache));
    expect(grouped?.entities).toEqual([refs.cache, refs.recommendation]);
    expect(grouped?.primary.entity).toBe(refs.cache);
  });

  it('merges two situations when a signal bridges them', async () => {
    const { awareness } = setUp(quiet);
    const cache = await awareness.ingest(alert(refs.cache, 'RedisLatencyHigh'));
    const cart = await awareness.ingest(alert(refs.cart, 'CartErrors'));
    const id = (result: typeof cache) => (result.status === 'rejected' ? '' : result.situation.id);
    expect(id(cart)).not.toBe(id(cache));
    const frontend = await awareness.ingest(alert(refs.frontend, 'FrontendErrors'));
    expect(frontend).toMatchObject({ status: 'accepted' });
    expect(awareness.situations()).toHaveLength(1);
    expect(awareness.situation(id(cart))?.id).toBe(id(frontend));
  });

  it('rejects malformed signals with a typed error and goes on with the stream', async () => {
    const { awareness } = setUp(quiet);
    const rejected = vi.fn();
    awareness.events.on('signal:rejected', rejected);
    const stream: unknown[] = [
      redisLatency(),
      { id: 'x', kind: 'alert' },
      { ...redisLatency(), id: 'bad-entity', entity: 'not a ref' },
      'just text',
      alert(refs.database, 'PostgresConnectionsHigh'),
    ];
    const results = [];
    for (const item of stream) results.push(await awareness.ingest(item));
    expect(results.map((result) => result.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
    ]);
    const error = results[2]?.status === 'rejected' ? results[2].error : undefined;
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect(error?.issues.map((issue) => issue.path)).toEqual([['entity']]);
    expect(error?.message).toMatch(/^core: awareness: signal is invalid: entity/);
    expect(rejected).toHaveBeenCalledTimes(3);
    expect(awareness.situations()).toHaveLength(2);
  });

  it('polls the signals capability, malformed items included', async () => {
    const signals = [
      redisLatency(),
      { ...redisLatency(), id: 'broken', severity: 'P9' } as unknown as Signal,
    ];
    const { awareness } = setUp({ ...quiet, signals });
    const results = await awareness.poll({ start: threeAm - hour, end: threeAm });
    expect(results.map((result) => result.status).sort()).toEqual(['accepted', 'rejected']);
  });

  it('handles signals pushed by a subscription', async () => {
    const { awareness, connector } = setUp(quiet);
    const decided = new Promise((resolve) => awareness.events.once('triage:decided', resolve));
    const stop = awareness.start();
    connector.push(redisLatency());
    await expect(decided).resolves.toMatchObject({ result: { decision: 'watch' } });
    stop();
  });
});

describe('escalation', () => {
  const report = (trigger: Signal, limits: BudgetLimits): Report => ({
    version: 1,
    id: 'inv-1',
    trigger,
    startedAt: trigger.at,
    endedAt: trigger.at,
    ending: { kind: 'concluded', reason: 'one candidate is confident' },
    conclusion: {
      entity: refs.cache,
      fault: 'redis.memory-pressure',
      confidence: 0.93,
      statement: 'recommendation-cache is filling up | evictions next',
      citations: [1],
    },
    alternatives: [],
    unknownRemainder: 0.02,
    evidence: [
      {
        id: 1,
        hypothesis: 'h1',
        check: 'metric-anomaly:redis_memory_used_bytes',
        verdict: 'supports',
        weight: 2.1,
        summary: 'redis_memory_used_bytes is 4.2σ above its baseline',
        excerpt: null,
        step: 1,
      },
    ],
    steps: [],
    explored: [],
    unchecked: [],
    budget: { limits, used: { ...limits, toolCalls: 7 } },
    proposals: [
      {
        id: 'p1',
        title: 'Raise maxmemory of recommendation-cache to 24 GiB',
        fault: 'redis.memory-pressure',
        action: { type: 'redis.set-maxmemory', target: refs.cache, parameters: { megabytes: 24_576 } },
        risk: 'medium',
        rollback: 'set it back to 16 GiB',
        rationale: 'buys time until the leak is found',
        citations: [1],
      },
    ],
  });

  it('investigates with the severity budget and escalates through the notifier, once', async () => {
    const investigate = vi.fn(async (trigger: Signal, limits: BudgetLimits) => report(trigger, limits));
    const { awareness, connector } = setUp(cascade, { investigate });
    const sent = vi.fn();
    awareness.events.on('escalation:sent', sent);
    const handled = await awareness.handle(redisLatency());
    expect(handled.response?.triage.decision).toBe('escalate');
    expect(investigate).toHaveBeenCalledWith(
      expect.objectContaining({ entity: refs.cache }),
      defaultBudgetsBySeverity.P3,
    );
    expect(handled.response?.escalation?.deliveries).toEqual([
      { connector: 'awareness-test', delivered: true, id: 'note-1' },
    ]);
    expect(sent).toHaveBeenCalledTimes(1);
    const [notification] = connector.notifications;
    // A P3 whose limit is hours away is urgent: it pages.
    expect(notification).toMatchObject({
      kind: 'escalation',
      entity: refs.cache,
      severity: 'P3',
      urgency: 'page',
    });
    expect(notification?.body).toContain('Urgency: **page** (on-call is paged now).');
    expect(notification?.title).toMatch(
      /^\[P3\] RedisLatencyHigh on redis:shop\/recommendation-cache: redis-memory limit at 08:[23]\d UTC$/,
    );
    expect(notification?.body).toContain('| forecast | +0.30 |');
    expect(notification?.body).toContain(
      '**Root cause:** recommendation-cache is filling up \\| evictions next',
    );
    expect(notification?.body).toContain('[1] supports: redis_memory_used_bytes is 4.2σ above its baseline');
    expect(notification?.body).toContain('Raise maxmemory of recommendation-cache to 24 GiB');
    expect(notification?.proposals).toHaveLength(1);

    const again = await awareness.handle(alert(refs.recommendation, 'RecommendationLatencyHigh'));
    expect(again.response?.triage.decision).toBe('escalate');
    expect(again.response?.escalation).toBeUndefined();
    expect(investigate).toHaveBeenCalledTimes(1);
    expect(connector.notifications).toHaveLength(1);
    expect(awareness.situations()[0]?.escalatedAt).toBe(new Date(threeAm).toISOString());
  });

  it('pages only on evidence: an investigation that finds nothing sends a blip back to watch', async () => {
    const empty = (trigger: Signal, limits: BudgetLimits): Report => ({
      ...report(trigger, limits),
      ending: { kind: 'budget-exhausted', reason: 'the toolCalls budget is spent' },
      conclusion: undefined,
      alternatives: [],
      proposals: [],
    });
    const investigate = vi.fn(async (trigger: Signal, limits: BudgetLimits) => empty(trigger, limits));
    // A P2 blip: investigated (a P2 is worth a look), nothing found, nothing else shows trouble.
    const { awareness, connector } = setUp(quiet, { investigate });
    const handled = await awareness.handle(alert(refs.cache, 'RedisLatencyHigh', { severity: 'P2' }));
    expect(handled.response?.triage.decision).toBe('investigate');
    expect(investigate).toHaveBeenCalledWith(expect.anything(), defaultBudgetsBySeverity.P2);
    expect(handled.response?.decision).toEqual({
      decision: 'watch',
      reason: 'the investigation found nothing worth acting on: no candidate stood out',
    });
    expect(handled.response?.escalation).toBeUndefined();
    expect(connector.notifications).toEqual([]);
  });

  it('holds back the escalation of a P3 with no limit in sight: it is investigated and reported instead', async () => {
    const result = await triageOne(cascade, {
      trafficModel: flatTrafficModel,
      thresholds: { P3: { escalate: 0.6 } },
    });
    expect(result).toMatchObject({ decision: 'investigate', urgent: false });
    expect(result.score).toBeGreaterThanOrEqual(0.6);
    expect(result.reasons.find((reason) => reason.factor === 'urgency')?.detail).toMatch(
      /^investigated, not escalated: the score reaches 0\.6, but a P3 wakes someone only when a limit will be reached within 8 h$/,
    );
  });

  it('escalates on request with the host proposals', async () => {
    const { awareness, connector } = setUp(quiet);
    const ingested = await awareness.ingest(redisLatency());
    if (ingested.status !== 'accepted') throw new Error('expected accepted');
    const proposal = report(redisLatency(), defaultBudgetsBySeverity.P4).proposals;
    const result = await awareness.escalate(ingested.situation, undefined, proposal);
    expect(result.deliveries).toEqual([{ connector: 'awareness-test', delivered: true, id: 'note-1' }]);
    expect(connector.notifications[0]?.proposals).toEqual(proposal);
    // Nothing urgent was seen before this escalation on request: the team is told for working hours.
    expect(connector.notifications[0]?.urgency).toBe('working-hours');
    expect(connector.notifications[0]?.body).toContain('### Proposed fixes');
    expect(connector.notifications[0]?.body).not.toContain('### Investigation');
    expect(connector.notifications[0]?.body).toContain('| criticality | +0.20 |');
  });

  it('reports a failing notifier and does not mark the situation escalated', async () => {
    const { awareness } = setUp({ ...quiet, notifierFails: true });
    const failed = vi.fn();
    awareness.events.on('awareness:failed', failed);
    const ingested = await awareness.ingest(redisLatency());
    if (ingested.status !== 'accepted') throw new Error('expected accepted');
    const result = await awareness.escalate(ingested.situation.id);
    expect(result.deliveries).toMatchObject([{ connector: 'awareness-test', delivered: false }]);
    expect(result.deliveries[0]?.error?.code).toBe('connector');
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ stage: 'escalation' }));
    expect(awareness.situation(ingested.situation.id)?.escalatedAt).toBeUndefined();
  });
});
