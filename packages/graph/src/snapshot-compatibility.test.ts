import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FactSheet } from './graph-types';
import { createKnowledgeGraph, type KnowledgeGraph } from './knowledge-graph';
import { diffSnapshots, loadSnapshot } from './snapshot-persistence';
import type { GraphSnapshot } from './snapshot-types';

// Written by the version 1 writer (src/fixtures/write-snapshot-v1.ts), with the facts that version
// answered for every node and edge.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const v1Text = fixture('snapshot-v1.json');
const v1Facts = JSON.parse(fixture('snapshot-v1-facts.json')) as Record<string, unknown>;
const clock = { now: () => Date.parse('2026-03-02T02:10:00Z') };

/** Fact sheets as the fixture stores them (JSON, `Infinity` as a string). */
function asStored(facts: FactSheet | undefined): unknown {
  return JSON.parse(
    JSON.stringify(facts, (_key, value) => (value === Number.POSITIVE_INFINITY ? 'Infinity' : value)),
  );
}

function subjectsOf(graph: KnowledgeGraph): string[] {
  return [...graph.nodes().map((node) => node.ref), ...graph.edges().map((edge) => edge.key)].sort();
}

describe('version 1 snapshots', () => {
  it('load to the facts version 1 had, from text and from the parsed object', () => {
    for (const input of [v1Text, JSON.parse(v1Text) as unknown]) {
      const graph = loadSnapshot(input, { clock });
      expect(subjectsOf(graph)).toEqual(Object.keys(v1Facts).sort());
      for (const subject of subjectsOf(graph))
        expect(asStored(graph.facts(subject))).toEqual(v1Facts[subject]);
    }
  });

  it('are written back in the current version with the same facts, and diff as unchanged', () => {
    const graph = loadSnapshot(v1Text, { clock });
    const current = graph.snapshot();
    const reloaded = loadSnapshot(JSON.stringify(current), { clock });
    for (const subject of subjectsOf(graph))
      expect(asStored(reloaded.facts(subject))).toEqual(v1Facts[subject]);
    const diff = diffSnapshots(JSON.parse(v1Text) as GraphSnapshot, current);
    expect(diff.nodes).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.edges).toEqual({ added: [], removed: [], changed: [] });
  });

  it('merge into a graph like a current version snapshot of the same facts', () => {
    const fromV1 = createKnowledgeGraph({ clock });
    fromV1.merge(v1Text);
    const fromCurrent = createKnowledgeGraph({ clock });
    fromCurrent.merge(loadSnapshot(v1Text, { clock }).snapshot());
    expect(fromV1.nodeCount).toBe(Object.keys(v1Facts).filter((subject) => !subject.includes(' -[')).length);
    expect(JSON.stringify(fromV1.snapshot())).toBe(JSON.stringify(fromCurrent.snapshot()));
  });
});
