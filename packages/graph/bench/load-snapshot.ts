/**
 * Child process of the graph benchmark: loads a snapshot file in a fresh process (as a service
 * starting up would) and prints `{ "coldMs", "warmMs", "nodes" }` on stdout.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadSnapshot } from '../src/index';

const file = process.argv[2];
if (file === undefined) throw new Error('load-snapshot: usage: load-snapshot <snapshot.json>');
const clock = { now: () => Date.parse('2026-03-02T01:00:00Z') };
const text = readFileSync(file, 'utf8');
let start = performance.now();
const nodes = loadSnapshot(text, { clock }).nodeCount;
const coldMs = performance.now() - start;
start = performance.now();
loadSnapshot(text, { clock });
const warmMs = performance.now() - start;
process.stdout.write(`${JSON.stringify({ coldMs, warmMs, nodes })}\n`);
