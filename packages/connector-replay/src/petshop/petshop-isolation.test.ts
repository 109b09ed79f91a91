import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallContext, type JsonValue } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { createReplayConnector } from '../replay-connector';
import { listPetShopIssues, loadPetShopIssue } from './petshop-dataset';

/** Everything the engine could ever see of an issue: the trigger, and every answer of every capability. */
async function exposure(directory: string): Promise<string> {
  const [location] = listPetShopIssues(directory);
  if (!location) throw new Error('no issue');
  const petShopCase = loadPetShopIssue(location);
  const connector = createReplayConnector({ recording: petShopCase.recording, now: petShopCase.asOf });
  const context = createCallContext();
  const window = { start: 0, end: petShopCase.asOf };
  const { metrics, traces, topology } = connector.capabilities;
  const descriptors = (await metrics?.list({}, context)) ?? [];
  const series = [];
  for (const name of new Set(descriptors.map((descriptor) => descriptor.name)))
    series.push(await metrics?.range({ metric: name, ...window }, context));
  const seen: JsonValue = JSON.parse(
    JSON.stringify({
      trigger: petShopCase.trigger,
      asOf: petShopCase.asOf,
      capabilities: Object.keys(connector.capabilities),
      tools: connector.tools.map((tool) => tool.name),
      topology: await topology?.scan(context),
      descriptors,
      series,
      calls: await traces?.callStats(window, context),
      spans: await traces?.spans(window, context),
      problems: petShopCase.problems.map((problem) => problem.message),
    }),
  );
  return JSON.stringify(seen);
}

function writeTarget(issue: string, rootCause: string, command: string, extra: Record<string, unknown> = {}) {
  writeFileSync(
    join(issue, 'target.json'),
    JSON.stringify({
      target: { node: 'Front', metric: 'latency', agg: 'Average', timestamp: 1300 },
      root_cause: { node: rootCause, metric: null },
      metadata: { reproducibility: { command } },
      ...extra,
    }),
  );
}

function syntheticDataset(rootCause: string, command: string): string {
  const root = mkdtempSync(join(tmpdir(), 'petshop-'));
  const issue = join(root, 'low_traffic', 'test', 'issue_0');
  mkdirSync(issue, { recursive: true });
  writeFileSync(
    join(root, 'low_traffic', 'graph.csv'),
    ',Front,Mid,Leaf,Other\nFront,0,1,0,1\nMid,0,0,1,0\nLeaf,0,0,0,0\nOther,0,0,0,0\n',
  );
  const rows = [0.1, 0.1, 0.5, 0.6, 0.4].map(
    (value, index) => `${1000 + index * 300}.0,${value},${value / 2},${value / 3},0.05,100,100,100,100`,
  );
  writeFileSync(
    join(issue, 'metrics.csv'),
    [
      'microservice,Front,Mid,Leaf,Other,Front,Mid,Leaf,Other',
      'metric,latency,latency,latency,latency,availability,availability,availability,availability',
      'statistic,Average,Average,Average,Average,Average,Average,Average,Average',
      'unix_timestamp,,,,,,,,',
      ...rows,
    ].join('\n'),
  );
  writeTarget(issue, rootCause, command);
  return root;
}

describe('the PetShop loader never exposes the answer', () => {
  it('exposes exactly the same thing whatever target.json says the root cause and metadata are', async () => {
    const answered = syntheticDataset(
      'Leaf',
      "aws ssm put-parameter --name '/petstore/secretdelay' --value '1234'",
    );
    const decoy = syntheticDataset('Other', 'something else entirely');
    const seen = await exposure(answered);
    expect(seen).toBe(await exposure(decoy));
    for (const secret of [
      '/petstore/secretdelay',
      '1234',
      'put-parameter',
      'root_cause',
      'metadata',
      'reproducibility',
    ])
      expect(seen).not.toContain(secret);
  });

  const real = process.env.PETSHOP_PATH ?? join(__dirname, '../../../../../shared/datasets/petshop');
  it.skipIf(!existsSync(real))(
    'holds on real issues of every scenario: swapping their answers changes nothing',
    async () => {
      const scenarios = new Map<string, ReturnType<typeof listPetShopIssues>[number]>();
      for (const location of listPetShopIssues(real))
        if (!scenarios.has(location.scenario)) scenarios.set(location.scenario, location);
      expect(scenarios.size).toBeGreaterThan(0);
      for (const location of scenarios.values()) {
        const copy = (rootCause: string | undefined, metadata: unknown) => {
          const root = mkdtempSync(join(tmpdir(), 'petshop-real-'));
          const issue = join(root, location.scenario, location.split, location.name);
          mkdirSync(issue, { recursive: true });
          cpSync(join(real, location.scenario, 'graph.csv'), join(root, location.scenario, 'graph.csv'));
          cpSync(join(location.directory, 'metrics.csv'), join(issue, 'metrics.csv'));
          const original = JSON.parse(readFileSync(join(location.directory, 'target.json'), 'utf8'));
          const target = {
            ...original,
            root_cause: rootCause === undefined ? original.root_cause : { node: rootCause, metric: null },
            metadata,
          };
          writeFileSync(join(issue, 'target.json'), JSON.stringify(target));
          return { root, original };
        };
        const { root: genuine, original } = copy(undefined, { reproducibility: { command: 'x' } });
        writeFileSync(
          join(genuine, location.scenario, location.split, location.name, 'target.json'),
          readFileSync(join(location.directory, 'target.json')),
        );
        const { root: swapped } = copy('PetSite', { nothing: 'here' });
        const seen = await exposure(genuine);
        expect(seen).toBe(await exposure(swapped));
        const command = String(original.metadata?.reproducibility?.command ?? '');
        if (command) expect(seen).not.toContain(command);
        const parameter = /--name '([^']+)'/.exec(command)?.[1];
        if (parameter) expect(seen).not.toContain(parameter);
      }
    },
  );
});
