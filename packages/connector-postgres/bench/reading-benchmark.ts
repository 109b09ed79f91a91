// What one metric reading and each tool cost against a real PostgreSQL: statements sent, rows received, series
// kept, and wall time (median and p90 of many runs; noisy on a loaded machine: read the statement and row counts
// first). Needs a server; not part of `pnpm bench`:
//   AISRE_LAB_POSTGRES_URL=postgresql://postgres:aisre-lab@127.0.0.1:5441/postgres \
//     npx tsx --tsconfig packages/connector-postgres/tsconfig.json packages/connector-postgres/bench/reading-benchmark.ts [--json]
import { performance } from 'node:perf_hooks';
import { createBudget, createCallContext } from '@aisre/core';
import { LabSessions, labPostgresUrl, observedPgClients } from '../src/integration/lab-sessions';
import { createPostgresConnector } from '../src/postgres-connector';

const runs = 50;
let statements = 0;
let rows = 0;

const connector = createPostgresConnector({
  connectionString: labPostgresUrl,
  entity: 'postgres:lab/db',
  sampling: { freshnessMs: 0 },
  createClient: observedPgClients((_text, result) => {
    statements += 1;
    rows += result.length;
  }),
});
const context = createCallContext();
const budget = createBudget(
  { wallTimeMs: 600_000, toolCalls: 10_000, modelTokens: 0, costUsd: 0 },
  context.clock,
);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function measure(work: () => Promise<unknown>) {
  const times: number[] = [];
  const before = { statements, rows };
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return {
    medianMs: Math.round(quantile(times, 0.5) * 100) / 100,
    p90Ms: Math.round(quantile(times, 0.9) * 100) / 100,
    statementsPerRun: (statements - before.statements) / runs,
    rowsPerRun: (rows - before.rows) / runs,
  };
}

async function measureAll() {
  const results: Record<string, unknown> = {
    reading: await measure(() => connector.sampler.sample(context)),
  };
  for (const tool of connector.tools) {
    const input = tool.name === 'postgres_settings' ? { names: ['max_connections', 'work_mem'] } : {};
    results[tool.name] = await measure(() => tool.run(input, { ...context, budget }));
  }
  results['logs.search'] = await measure(
    () =>
      connector.capabilities.logs?.search({ start: Date.now() - 60_000, end: Date.now() }, context) ??
      Promise.resolve(),
  );
  return results;
}

await connector.connect();
const quiet = await measureAll();
const series = (await connector.capabilities.metrics?.list({}, context))?.length ?? 0;
const held = new LabSessions();
const use = (
  await connector.tools.find((tool) => tool.name === 'postgres_connections')?.run({}, { ...context, budget })
)?.data as { used: number; maxConnections: number };
// Saturated as the lab's fault leaves it: client connections at max_connections - 2.
while (use.used + held.count < use.maxConnections - 2) await held.open(`bench-idle-${held.count}`);
const saturated = await measureAll();
const inUse = use.used + held.count;
await held.closeAll();
await connector.close();

const report = {
  runs,
  seriesPerReading: series,
  quiet,
  saturated: { connectionsInUse: inUse, maxConnections: use.maxConnections, ...saturated },
};
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  console.log(
    `connector-postgres against ${new URL(labPostgresUrl).host}: ${series} series per reading, ${runs} runs each`,
  );
  for (const [situation, results] of [
    ['quiet', quiet],
    [`saturated: ${inUse} of ${use.maxConnections} connections in use`, saturated],
  ] as const) {
    console.log(`\n${situation}:`);
    for (const [name, figures] of Object.entries(results)) {
      if (typeof figures !== 'object' || figures === null) continue;
      const { medianMs, p90Ms, statementsPerRun, rowsPerRun } = figures as Record<string, number>;
      console.log(
        `  ${name.padEnd(28)} median ${medianMs} ms, p90 ${p90Ms} ms, ${statementsPerRun} statements, ${rowsPerRun} rows`,
      );
    }
  }
}
