/**
 * Child process of the graph benchmark: loads a snapshot file in a fresh process (as a service
 * starting up would) and prints `{ "coldMs", "warmMs", "nodes", "parseMs", "validateMs", "buildMs" }`
 * on stdout. The last three are the steps of a load timed one by one after the two loads: JSON
 * parsing of the text, the zod check of the snapshot's structure, and building the graph from the
 * checked snapshot (with the index, length and duplicate checks made on the way).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { GraphStore } from '../src/graph-store';
import { loadSnapshot } from '../src/index';
import { buildSnapshot, checkSnapshotStructure } from '../src/snapshot-read';

const file = process.argv[2];
if (file === undefined) throw new Error('load-snapshot: usage: load-snapshot <snapshot.json>');
const clock = { now: () => Date.parse('2026-03-02T01:00:00Z') };
const text = readFileSync(file, 'utf8');
const time = <T>(run: () => T): { result: T; ms: number } => {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
};
const cold = time(() => loadSnapshot(text, { clock }).nodeCount);
const warm = time(() => loadSnapshot(text, { clock }));
const parsed = time(() => JSON.parse(text) as unknown);
const checked = time(() => checkSnapshotStructure(parsed.result));
const built = time(() => buildSnapshot(checked.result, true, new GraphStore({ clock })));
process.stdout.write(
  `${JSON.stringify({
    coldMs: cold.ms,
    warmMs: warm.ms,
    nodes: cold.result,
    parseMs: parsed.ms,
    validateMs: checked.ms,
    buildMs: built.ms,
  })}\n`,
);
