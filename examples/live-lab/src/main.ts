import { renderReportMarkdown } from '@aisre/core';
import { type FaultRun, labEnvironment, openLiveLab } from './live-lab';

// Run with the lab started: `pnpm start` here does it (scripts/lab/with-lab.sh starts and stops it).
const started = Date.now();
const log = (line: string) =>
  console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}`);
const lab = await openLiveLab({ env: labEnvironment(), log });
const baselineMs = 30_000;
log(`collecting ${baselineMs / 1000} s of normal telemetry first`);
await new Promise((resolve) => setTimeout(resolve, baselineMs));

const runs: FaultRun[] = [];
try {
  for (const fault of ['redis-memory', 'postgres-connections'] as const) runs.push(await lab.run(fault));
} finally {
  await lab.close();
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
for (const run of runs) {
  const { timings, response } = run;
  const conclusion = response.report?.conclusion;
  console.log(`\n## ${run.fault}`);
  console.log(
    `fault → webhook ${seconds(timings.firingAt - timings.injectedAt)}, webhook → report ${seconds(timings.reportAt - timings.firingAt)}, fault removed → resolved ${seconds(timings.resolvedAt - timings.removedAt)}`,
  );
  console.log(`triage ${response.triage.decision}, after the investigation ${response.decision.decision}`);
  console.log(
    conclusion
      ? `root cause: ${conclusion.fault} on ${conclusion.entity} (${Math.round(conclusion.confidence * 100)} %)`
      : `no root cause: ${response.report?.ending.reason ?? 'not investigated'}`,
  );
  if (run.verification) console.log(`after the change: ${run.verification.summary}`);
}
const first = runs[0]?.response.report;
if (first) console.log(`\n${renderReportMarkdown(first)}`);
