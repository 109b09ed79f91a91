import { createKnowledgeGraph } from '@aisre/graph';
import { describe, expect, it } from 'vitest';
import type { IncidentRecord } from './incident-capture';
import { pastIncidentsFromGraph, recordIncidentInGraph } from './incident-graph';

const incident: IncidentRecord = {
  id: 'inv-1',
  entity: 'redis:shop/cache',
  fault: 'redis.memory-fragmentation',
  at: Date.parse('2026-03-02T02:40:00Z'),
  trigger: 'service:shop/frontend',
  proposed: ['redis.config-set'],
  remediations: ['redis.config-set'],
  outcome: 'improved',
} as IncidentRecord;

describe('incidents in the knowledge graph', () => {
  it('records root cause, failure pattern and remediation with incident provenance, and reads them back as priors', () => {
    const graph = createKnowledgeGraph({ clock: { now: () => incident.at } });
    const ref = recordIncidentInGraph(graph, incident);
    expect(ref).toBe('incident:shop/inv-1');
    const causes = graph.edges({ kinds: ['caused-by'], from: ref }).map((edge) => edge.target);
    expect(causes).toEqual(
      expect.arrayContaining(['redis:shop/cache', 'failure-pattern:global/redis.memory-fragmentation']),
    );
    expect(graph.edges({ kinds: ['mitigated-by'], from: ref }).map((edge) => edge.target)).toEqual([
      'remediation:shop/redis.config-set',
    ]);
    expect(JSON.stringify(graph.snapshot())).toContain('investigation inv-1');
    expect(pastIncidentsFromGraph(graph)(['redis:shop/cache'])).toEqual([
      { entity: 'redis:shop/cache', fault: 'redis.memory-fragmentation', at: incident.at },
    ]);
    expect(pastIncidentsFromGraph(graph)(['postgres:shop/db'])).toEqual([]);
  });
});
