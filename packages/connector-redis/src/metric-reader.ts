import { type CallContext, CancelledError, type EntityRef, type MetricReading } from '@aisre/core';
import { infoMetricReadings } from './info-metrics';
import { parseInfo } from './info-parser';
import { malformedReply } from './redis-errors';
import { parseInteger, parseLatencyLatest, parseSlowlog, parseText } from './redis-replies';
import type { RedisSession } from './redis-session';

function reading(
  entity: EntityRef,
  name: string,
  unit: string,
  help: string,
  value: number,
  labels: Record<string, string> = {},
): MetricReading {
  return { descriptor: { name, entity, type: 'gauge', unit, labels, help }, value };
}

async function slowlogReadings(session: RedisSession, entity: EntityRef, context: CallContext) {
  const [length, last] = await Promise.all([
    session.send('SLOWLOG LEN', ['SLOWLOG', 'LEN'], context),
    session.send('SLOWLOG GET', ['SLOWLOG', 'GET', '1'], context),
  ]);
  const [newest] = parseSlowlog(last, session.scope);
  return [
    reading(
      entity,
      'redis_slowlog_length',
      'entries',
      'entries in the slowlog (SLOWLOG LEN)',
      parseInteger(length, 'SLOWLOG LEN', session.scope),
    ),
    reading(
      entity,
      'redis_slowlog_last_id',
      'id',
      'id of the newest slowlog entry (SLOWLOG GET)',
      newest?.id ?? 0,
    ),
    reading(
      entity,
      'redis_last_slow_execution_duration_seconds',
      'seconds',
      'duration of the newest slowlog entry (SLOWLOG GET)',
      (newest?.durationUs ?? 0) / 1e6,
    ),
  ];
}

async function latencyReadings(session: RedisSession, entity: EntityRef, context: CallContext) {
  const events = parseLatencyLatest(
    await session.send('LATENCY LATEST', ['LATENCY', 'LATEST'], context),
    session.scope,
  );
  return events.flatMap((event) => [
    reading(
      entity,
      'redis_latency_spike_last',
      'seconds',
      'when the latest spike of the event happened, unix time (LATENCY LATEST)',
      event.latestAt / 1000,
      { event_name: event.event },
    ),
    reading(
      entity,
      'redis_latency_spike_duration_seconds',
      'seconds',
      'the latest spike of the event (LATENCY LATEST)',
      event.latestMs / 1000,
      { event_name: event.event },
    ),
  ]);
}

/**
 * Reads every metric of one instance now, for the metric sampler: `INFO all` (which must answer), plus the
 * slowlog's length and newest entry and the latency monitor's latest spikes. Those extras are skipped with a
 * warning when they fail (a managed Redis may disable SLOWLOG or LATENCY); INFO failing fails the reading.
 *
 * @param session - the connection
 * @param entity - the instance
 */
export function createMetricReader(session: RedisSession, entity: EntityRef) {
  return async (context: CallContext): Promise<MetricReading[]> => {
    const info = session.send('INFO', ['INFO', 'all'], context);
    const extras = [slowlogReadings(session, entity, context), latencyReadings(session, entity, context)];
    const settled = await Promise.allSettled([info, ...extras]);
    const [infoResult, ...extraResults] = settled;
    if (!infoResult || infoResult.status === 'rejected') throw infoResult?.reason;
    const sections = parseInfo(parseText(infoResult.value, 'INFO', session.scope));
    if (!sections.memory || !sections.stats) {
      throw malformedReply('INFO all', 'INFO text with memory and stats sections', session.scope);
    }
    const readings = infoMetricReadings(sections, entity);
    for (const result of extraResults) {
      if (result.status === 'fulfilled') readings.push(...result.value);
      else if (CancelledError.isInstance(result.reason)) throw result.reason;
      else context.logger.warn(String((result.reason as Error)?.message ?? result.reason));
    }
    return readings;
  };
}
