// pnpm bench:engine [--json]: framework throughput, scheduling overhead against the critical-path floor, and the
// median time per built-in scenario. Figures are documented in docs/benchmarks.md.

import { loadavg } from 'node:os';
import {
  builtInScenarioNames,
  createMockConnector,
  loadBuiltInScenario,
  scenarioTrigger,
  withoutExpectations,
} from '@aisre/connector-mock';
import { budgetSpent, createInvestigator, createManualClock, type Signal, systemClock } from '@aisre/core';
import { createSyntheticSystem } from './synthetic-system';

const json = process.argv.includes('--json');
const log = (line: string) => {
  if (!json) console.log(line);
};
const now = Date.parse('2026-03-02T03:00:00Z');
const trigger: Signal = {
  id: 'bench',
  source: 'bench',
  kind: 'alert',
  entity: 'service:bench/svc-0',
  severity: 'P1',
  at: new Date(now).toISOString(),
  summary: 'LatencyHigh',
  labels: {},
  payload: {},
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Counts waves: calls that start within `gapMs` of the previous one belong to the same wave. */
function waves(starts: number[], gapMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let count = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const start of sorted) {
    if (start - last > gapMs) count++;
    last = start;
  }
  return count;
}

/** Investigations run before measuring, so that the JIT reaches its steady state. */
const warmUpInvestigations = 20;
/** Measured windows; the throughput is the median window's rate. */
const measuredWindows = 7;
/** Minimum length of one measured window. */
const windowSeconds = 0.4;

async function throughput() {
  const connector = createSyntheticSystem({ services: 40, delayMs: 0, now });
  const investigator = createInvestigator({
    connectors: [connector],
    clock: createManualClock(now),
    concurrency: 8,
    depth: 40,
    budget: { toolCalls: 5_000 },
    stopWhen: [budgetSpent()],
  });
  // Warm up until the JIT reaches its steady state, then measure several windows of at least
  // `windowSeconds` each and report the median window's rate (one slow window, e.g. another job taking the
  // core, does not move it).
  for (let run = 0; run < warmUpInvestigations; run++) await investigator.investigate(trigger);
  const rates: number[] = [];
  for (let window = 0; window < measuredWindows; window++) {
    const started = performance.now();
    let checks = 0;
    let seconds = 0;
    do {
      checks += (await investigator.investigate(trigger)).steps.length;
      seconds = (performance.now() - started) / 1000;
    } while (seconds < windowSeconds);
    rates.push(checks / seconds);
  }
  return { checksPerSecond: median(rates), windowRates: rates };
}

async function floorRatio(concurrency: number) {
  const starts: number[] = [];
  const connector = createSyntheticSystem({ services: 12, delayMs: 20, now, starts });
  const investigator = createInvestigator({
    connectors: [connector],
    clock: systemClock,
    concurrency,
    depth: 12,
    budget: { toolCalls: 120 },
    stopWhen: [budgetSpent()],
  });
  const started = performance.now();
  const report = await investigator.investigate(trigger, { asOf: now });
  const wallMs = performance.now() - started;
  // The floor: with unlimited concurrency every round's checks overlap, so the run needs one 20 ms wait per
  // dependent batch (scope batches + rounds). Measured as the waves of the run at concurrency 64.
  return { wallMs, steps: report.steps.length, starts };
}

async function main() {
  const loadAverage1mAtStart = Number(loadavg()[0]?.toFixed(2));
  const { checksPerSecond, windowRates } = await throughput();
  log(`framework throughput (zero-latency tools): ${Math.round(checksPerSecond)} checks/s`);

  const unlimited = await floorRatio(64);
  const floorMs = waves(unlimited.starts, 10) * 20;
  const byConcurrency: Record<string, { wallMs: number; ratio: number }> = {};
  for (const concurrency of [1, 4, 8, 16]) {
    const run = await floorRatio(concurrency);
    byConcurrency[concurrency] = {
      wallMs: Math.round(run.wallMs),
      ratio: Number((run.wallMs / floorMs).toFixed(3)),
    };
    log(
      `20 ms tools, concurrency ${String(concurrency).padStart(2)}: ${Math.round(run.wallMs)} ms for ${run.steps} checks (floor ${floorMs} ms, ratio ${byConcurrency[concurrency]?.ratio})`,
    );
  }

  const scenarioMs: number[] = [];
  for (const name of builtInScenarioNames()) {
    const scenario = withoutExpectations(await loadBuiltInScenario(name));
    const started = performance.now();
    const connector = createMockConnector(scenario);
    await createInvestigator({
      connectors: [connector],
      clock: createManualClock(connector.now()),
    }).investigate(scenarioTrigger(scenario));
    scenarioMs.push(performance.now() - started);
  }
  const medianScenarioMs = median(scenarioMs);
  log(
    `built-in scenarios: ${scenarioMs.length}, median ${medianScenarioMs.toFixed(1)} ms, max ${Math.max(...scenarioMs).toFixed(1)} ms`,
  );

  if (json) {
    process.stdout.write(
      `${JSON.stringify({
        checksPerSecond: Math.round(checksPerSecond),
        checksPerSecondByWindow: windowRates.map((rate) => Math.round(rate)),
        floorMs,
        wallMsByConcurrency: Object.fromEntries(
          Object.entries(byConcurrency).map(([key, value]) => [key, value.wallMs]),
        ),
        floorRatioByConcurrency: Object.fromEntries(
          Object.entries(byConcurrency).map(([key, value]) => [key, value.ratio]),
        ),
        floorRatioAtConcurrency8: byConcurrency[8]?.ratio,
        scenarios: scenarioMs.length,
        medianScenarioMs: Number(medianScenarioMs.toFixed(2)),
        loadAverage1mAtStart,
        loadAverage1mAtEnd: Number(loadavg()[0]?.toFixed(2)),
      })}\n`,
    );
  }
}

await main();
