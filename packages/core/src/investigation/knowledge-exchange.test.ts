import { createKnowledgeGraph } from '@aisre/graph';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../contracts/signal';
import { createManualClock } from '../runtime/call-context';
import { createInvestigator } from './investigator';
import { createTestSystem, minute, start, testRefs } from './test-system.fixture';

const now = start + 100 * minute;
const trigger: Signal = {
  id: 'alert-1',
  source: 'test',
  kind: 'alert',
  entity: testRefs.frontend,
  severity: 'P3',
  at: new Date(now).toISOString(),
  summary: 'FrontendLatencyHigh',
  labels: {},
  payload: {},
};

describe('the engine and the knowledge graph', () => {
  it('writes what its scans find into the graph, citing the steps', async () => {
    const knowledge = createKnowledgeGraph({ clock: { now: () => now } });
    const connector = createTestSystem({ fault: 'pool', now });
    await createInvestigator({
      connectors: [connector],
      clock: createManualClock(now),
      knowledge,
    }).investigate(trigger);
    expect(knowledge.hasNode(testRefs.db)).toBe(true);
    const dependencies = knowledge.dependencies(testRefs.api, { depth: 1 }).map((hit) => hit.ref);
    expect(dependencies).toContain(testRefs.db);
    const calls = knowledge.edges({ kinds: ['calls'] } as never);
    expect(calls.length).toBeGreaterThan(0);
    expect(JSON.stringify(knowledge.snapshot())).toContain('topology.scan (step 1)');
  });

  it('reaches a cause through a dependency only the graph knows', async () => {
    const hidden: [typeof testRefs.api, typeof testRefs.db][] = [[testRefs.api, testRefs.db]];
    const blind = createTestSystem({
      fault: 'pool',
      now,
      hiddenRelations: hidden,
      failing: { traces: 'throw' },
    });
    const without = await createInvestigator({
      connectors: [blind],
      clock: createManualClock(now),
    }).investigate(trigger);
    expect(without.conclusion?.entity).not.toBe(testRefs.db);

    const knowledge = createKnowledgeGraph({ clock: { now: () => now } });
    knowledge.upsertEdge({
      source: testRefs.api,
      kind: 'depends-on',
      target: testRefs.db,
      provenance: { source: 'manual', citation: 'runbook: api uses the shop database' },
    });
    const informed = createTestSystem({
      fault: 'pool',
      now,
      hiddenRelations: hidden,
      failing: { traces: 'throw' },
    });
    const withGraph = await createInvestigator({
      connectors: [informed],
      clock: createManualClock(now),
      knowledge,
    }).investigate(trigger);
    expect(withGraph.conclusion).toMatchObject({
      entity: testRefs.db,
      fault: 'db.connection-pool-saturation',
    });
  });
});
