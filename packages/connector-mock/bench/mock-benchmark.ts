/**
 * Benchmark of the mock connector: 3 hours of telemetry at 30 s for a 50-entry system.
 *
 * Run with `pnpm bench:mock` (human-readable) or `pnpm bench:mock --json` (one JSON object on stdout).
 * The budget is `generateMsFor50Services3h` ≤ 1000: every series of every entity computed from a cold start.
 */
import { performance } from 'node:perf_hooks';
import { createCallContext } from '@aisre/core';
import { createMockConnector, type Scenario, type ScenarioService } from '../src/index';

function benchmarkScenario(): Scenario {
  const services: ScenarioService[] = [];
  const stores = { redis: 8, postgres: 6, queue: 3, external: 2 };
  const names = (kind: string, count: number) =>
    Array.from({ length: count }, (_, index) => `${kind}-${index + 1}`);
  const redis = names('cache', stores.redis);
  const postgres = names('db', stores.postgres);
  const queues = names('events', stores.queue);
  const externals = names('partner-api', stores.external);
  const backends = names('backend', 20);
  const middles = names('middle', 6);
  const entries = names('edge', 4);
  backends.forEach((name, index) => {
    const dependsOn = [redis[index % redis.length] ?? '', postgres[index % postgres.length] ?? ''];
    if (index % 5 === 0) dependsOn.push(externals[index % externals.length] ?? '');
    if (index % 4 === 1) dependsOn.push(queues[index % queues.length] ?? '');
    const consumes = index % 7 === 3 ? [queues[index % queues.length] ?? ''] : [];
    services.push({
      name,
      kind: 'service',
      replicas: 2 + (index % 3),
      dependsOn,
      ...(consumes.length > 0 && !dependsOn.includes(consumes[0] ?? '') ? { consumes } : {}),
    });
  });
  middles.forEach((name, index) => {
    services.push({
      name,
      kind: 'service',
      tier: 1,
      replicas: 3,
      dependsOn: backends.filter((_, position) => position % middles.length === index),
    });
  });
  entries.forEach((name, index) => {
    services.push({
      name,
      kind: 'service',
      tier: 1,
      replicas: 4,
      rps: 100 + 50 * index,
      dependsOn: middles.filter(
        (_, position) => position % entries.length === index || position === index + 2,
      ),
    });
  });
  for (const name of redis) services.push({ name, kind: 'redis', maxMemoryMb: 4096 });
  for (const name of postgres) services.push({ name, kind: 'postgres', maxConnections: 200 });
  for (const name of queues) services.push({ name, kind: 'queue' });
  for (const name of externals) services.push({ name, kind: 'external' });
  services.push({
    name: 'nightly-job',
    kind: 'cronjob',
    schedule: '0 * * * *',
    dependsOn: [postgres[0] ?? ''],
  });
  return {
    name: 'benchmark-50',
    seed: 2026,
    start: '2026-03-02T06:00:00Z',
    duration: '3h',
    step: '30s',
    topology: { namespace: 'bench', services },
    traffic: { pattern: 'diurnal', peakMultiplier: 10, peakAt: '12:00' },
    faults: [
      { type: 'db.connection-pool-saturation', target: postgres[1] ?? '', start: '+60m' },
      { type: 'redis.memory-fragmentation', target: redis[2] ?? '', start: '+30m' },
    ],
    noise: [{ type: 'deploy', target: backends[4] ?? '', at: '+50m' }],
    trigger: { alert: 'EdgeLatencyHigh', entity: 'service:bench/edge-1', severity: 'P3', at: '+3h' },
  };
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const scenario = benchmarkScenario();
  const startMs = Date.parse(scenario.start);
  let mark = performance.now();
  const connector = createMockConnector(scenario);
  const context = createCallContext({ clock: connector });
  const createMs = performance.now() - mark;
  const metrics = connector.capabilities.metrics;
  if (!metrics) throw new Error('no metrics capability');
  mark = performance.now();
  const descriptors = await metrics.list({}, context);
  const names = [...new Set(descriptors.map((descriptor) => descriptor.name))];
  let seriesCount = 0;
  let pointCount = 0;
  for (const metric of names) {
    for (const series of await metrics.range({ metric, start: startMs, end: connector.now() }, context)) {
      seriesCount++;
      pointCount += series.points.length;
    }
  }
  const generateMs = performance.now() - mark;
  mark = performance.now();
  for (const metric of names) await metrics.range({ metric, start: startMs, end: connector.now() }, context);
  const cachedMs = performance.now() - mark;
  mark = performance.now();
  const single = createMockConnector(scenario);
  await single.capabilities.metrics?.range(
    {
      metric: 'http_server_request_duration_seconds',
      entity: 'service:bench/edge-1',
      start: startMs,
      end: single.now(),
    },
    context,
  );
  const singleSeriesMs = performance.now() - mark;
  mark = performance.now();
  const logs =
    (await connector.capabilities.logs?.search(
      { start: startMs, end: connector.now(), limit: 1_000_000 },
      context,
    )) ?? [];
  const logsMs = performance.now() - mark;
  mark = performance.now();
  const spans =
    (await connector.capabilities.traces?.spans(
      { start: connector.now() - 3_600_000, end: connector.now(), limit: 5000 },
      context,
    )) ?? [];
  const spansMs = performance.now() - mark;
  const result = {
    entities: scenario.topology.services.length,
    steps: Math.round((3 * 3_600_000) / 30_000) + 1,
    seriesCount,
    pointCount,
    createMs: Number(createMs.toFixed(1)),
    generateMsFor50Services3h: Number(generateMs.toFixed(1)),
    cachedRequeryMs: Number(cachedMs.toFixed(1)),
    singleSeriesColdMs: Number(singleSeriesMs.toFixed(1)),
    logLines3h: logs.length,
    logsMs3h: Number(logsMs.toFixed(1)),
    spans1h: spans.length,
    spansMs1h: Number(spansMs.toFixed(1)),
    budgetMs: 1000,
    withinBudget: generateMs <= 1000,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.log(
    `mock telemetry: ${result.entities} entities, ${result.steps} steps, ${seriesCount} series, ${pointCount} points`,
  );
  console.log(
    `  every series, cold:       ${result.generateMsFor50Services3h} ms (budget 1000 ms) ${result.withinBudget ? 'ok' : 'OVER BUDGET'}`,
  );
  console.log(`  every series, cached:     ${result.cachedRequeryMs} ms`);
  console.log(`  one series, cold:         ${result.singleSeriesColdMs} ms`);
  console.log(`  ${logs.length} log lines over 3 h: ${result.logsMs3h} ms`);
  console.log(`  ${spans.length} spans over 1 h:     ${result.spansMs1h} ms`);
}

await main();
