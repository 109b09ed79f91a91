/**
 * `pnpm -s bench:graph [--json] [--quick] [--out file.json]`: ingest, query and snapshot figures of
 * @aisre/graph on a synthetic cluster, each query beside raw graphology doing the same traversal.
 * Progress goes to stderr; with `--json` stdout carries one JSON object (fields documented in
 * docs/benchmarks.md), else a table; `--out` also writes the object to a file. (`-s` keeps pnpm
 * from printing its own banner on stdout.) `--quick` runs 2 000 and 20 000 objects instead of
 * 10 000 and 100 000.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MultiDirectedGraph } from 'graphology';
import { bfsFromNode } from 'graphology-traversal';
import { stringify } from 'yaml';
import {
  createKnowledgeGraph,
  DEFAULT_EDGE_ROLES,
  ingestKubernetes,
  type KnowledgeGraph,
  loadSnapshot,
} from '../src/index';
import { generateSyntheticCluster, type KubernetesObject, seededRandom } from './synthetic-cluster';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const seed = 20260302;
const smallSize = quick ? 2_000 : 10_000;
const largeSize = quick ? 20_000 : 100_000;
const querySamples = quick ? 300 : 2_000;
const clock = { now: () => Date.parse('2026-03-02T01:00:00Z') };

const log = (message: string) => process.stderr.write(`${message}\n`);
const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const peakRssMb = () => round(process.resourceUsage().maxRSS / 1024, 1);

function percentile(samples: number[], fraction: number): number {
  const sorted = samples.slice().sort((left, right) => left - right);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] as number;
}

function time<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

function ingest(objects: KubernetesObject[]): { graph: KnowledgeGraph; ms: number } {
  const graph = createKnowledgeGraph({ clock });
  const { result, ms } = time(() => ingestKubernetes(graph, objects));
  if (result.errors.length > 0)
    throw new Error(`benchmark: ${result.errors.length} ingest errors: ${result.errors[0]?.message}`);
  return { graph, ms };
}

// ---- raw graphology: the same traversals on a plain graph (kind attribute only) -----------------

type RawGraph = MultiDirectedGraph<{ kind: string }, { kind: string }>;
const DEPENDENCY = 1;
const STRUCTURE = 2;
const roles: Record<string, number> = {};
for (const [kind, role] of Object.entries(DEFAULT_EDGE_ROLES)) {
  roles[kind] = role === 'dependency' ? DEPENDENCY : role === 'structure' ? STRUCTURE : 0;
}

function rawCopy(graph: KnowledgeGraph): RawGraph {
  const raw: RawGraph = new MultiDirectedGraph();
  for (const node of graph.nodes()) raw.addNode(node.ref, { kind: node.kind });
  for (const edge of graph.edges())
    raw.addEdgeWithKey(edge.key, edge.source, edge.target, { kind: edge.kind });
  return raw;
}

/**
 * Dependents (or dependencies) to a depth, structure edges free both ways: what
 * `graph.dependents` computes, written the plain way on a plain graphology graph, with a Map.
 */
function rawTraversal(raw: RawGraph, start: string, maxDepth: number, forwards: boolean): string[] {
  const depths = new Map<string, number>([[start, 0]]);
  const found: string[] = [];
  let frontier = [start];
  let next: string[] = [];
  let level = 0;
  const reach = (node: string, cost: number) => {
    const depth = level + cost;
    if (depth > maxDepth) return;
    const known = depths.get(node);
    if (known !== undefined && known <= depth) return;
    if (known === undefined) found.push(node);
    depths.set(node, depth);
    (cost === 0 ? frontier : next).push(node);
  };
  for (;;) {
    for (let index = 0; index < frontier.length; index++) {
      const node = frontier[index] as string;
      if (depths.get(node) !== level) continue;
      raw.forEachInEdge(node, (_key, attributes, source) => {
        const role = roles[attributes.kind];
        if (role === STRUCTURE) reach(source, 0);
        else if (!forwards && role === DEPENDENCY) reach(source, 1);
      });
      raw.forEachOutEdge(node, (_key, attributes, _source, target) => {
        const role = roles[attributes.kind];
        if (role === STRUCTURE) reach(target, 0);
        else if (forwards && role === DEPENDENCY) reach(target, 1);
      });
    }
    if (next.length === 0 || level >= maxDepth) break;
    level++;
    frontier = next;
    next = [];
  }
  return found;
}

/** The undirected neighbourhood to a depth, and the edges among its nodes. */
function rawNeighbourhood(
  raw: RawGraph,
  start: string,
  maxDepth: number,
): { nodes: string[]; edges: string[] } {
  const seen = new Set<string>([start]);
  const nodes = [start];
  let frontier = [start];
  for (let depth = 0; depth < maxDepth; depth++) {
    const next: string[] = [];
    for (const node of frontier) {
      raw.forEachNeighbor(node, (neighbour) => {
        if (seen.has(neighbour)) return;
        seen.add(neighbour);
        nodes.push(neighbour);
        next.push(neighbour);
      });
    }
    frontier = next;
  }
  const edges: string[] = [];
  for (const node of nodes) {
    raw.forEachOutEdge(node, (key, _attributes, _source, target) => {
      if (seen.has(target)) edges.push(key);
    });
  }
  return { nodes, edges };
}

interface Timing {
  p50: number;
  p99: number;
}

function compare(samples: string[], ours: (ref: string) => number, raw: (ref: string) => number) {
  const warmup = Math.min(200, samples.length);
  for (let index = 0; index < warmup; index++) {
    ours(samples[index] as string);
    raw(samples[index] as string);
  }
  const oursMs: number[] = [];
  const rawMs: number[] = [];
  let hits = 0;
  let maxHits = 0;
  for (const ref of samples) {
    // Interleaved, so both see the same machine state.
    let start = performance.now();
    const found = ours(ref);
    hits += found;
    if (found > maxHits) maxHits = found;
    oursMs.push(performance.now() - start);
    start = performance.now();
    raw(ref);
    rawMs.push(performance.now() - start);
  }
  const summary = (list: number[]): Timing => ({
    p50: round(percentile(list, 0.5), 4),
    p99: round(percentile(list, 0.99), 4),
  });
  return { ours: summary(oursMs), raw: summary(rawMs), meanHits: round(hits / samples.length, 1), maxHits };
}

// Each phase is a function, so what it allocates can be collected before the next one starts.

function smallPhase() {
  const small = generateSyntheticCluster({ objects: smallSize, seed });
  log(`ingesting ${small.length} objects (3 runs)`);
  const runs = [ingest(small), ingest(small), ingest(small)]
    .map((run) => run.ms)
    .sort((left, right) => left - right);
  const peakRss = peakRssMb();
  log('ingesting them from YAML');
  const yamlText = small.map((object) => stringify(object)).join('---\n');
  const yamlRun = time(() => ingestKubernetes(createKnowledgeGraph({ clock }), yamlText));
  return { objects: small.length, ms: runs[1] as number, yamlMs: yamlRun.ms, peakRss };
}

function largePhase() {
  const large = generateSyntheticCluster({ objects: largeSize, seed });
  log(`ingesting ${large.length} objects`);
  const { graph, ms } = ingest(large);
  log(`  ${graph.nodeCount} nodes, ${graph.edgeCount} edges in ${Math.round(ms)} ms`);
  return { graph, objects: large.length, ms, peakRss: peakRssMb() };
}

function queryPhase(graph: KnowledgeGraph) {
  const raw = rawCopy(graph);
  const random = seededRandom(seed);
  // Starts: what alerts name, services and datastores.
  const starts = graph.nodes({ kinds: ['service', 'redis', 'postgres', 'queue'] }).map((node) => node.ref);
  const samples = Array.from(
    { length: querySamples },
    () => starts[Math.floor(random() * starts.length)] as string,
  );
  log(`blast radius (dependents, depth 3) on ${samples.length} entities`);
  const blast = compare(
    samples,
    (ref) => graph.dependents(ref, { depth: 3 }).length,
    (ref) => rawTraversal(raw, ref, 3, false).length,
  );
  const library = compare(
    samples,
    (ref) => graph.dependents(ref, { depth: 3 }).length,
    (ref) => {
      let count = 0;
      bfsFromNode(
        raw,
        ref,
        (_node, _attributes, depth) => {
          count++;
          return depth >= 3;
        },
        { mode: 'inbound' },
      );
      return count;
    },
  );
  log('dependencies (depth 3)');
  const dependencies = compare(
    samples,
    (ref) => graph.dependencies(ref, { depth: 3 }).length,
    (ref) => rawTraversal(raw, ref, 3, true).length,
  );
  log('neighbourhood (depth 2)');
  const neighbourhood = compare(
    samples,
    (ref) => graph.neighbourhood(ref, { depth: 2 }).nodes.length,
    (ref) => rawNeighbourhood(raw, ref, 2).nodes.length,
  );
  return { blast, library, dependencies, neighbourhood };
}

function snapshotPhase(graph: KnowledgeGraph) {
  log('snapshot save and load');
  const save = time(() => JSON.stringify(graph.snapshot()));
  // Loading is measured in a fresh process, as a service starting up would load its graph: in this
  // one, the heap already holds the benchmark's graphs and the collector would be timed instead.
  const file = join(mkdtempSync(join(tmpdir(), 'aisre-graph-bench-')), 'snapshot.json');
  writeFileSync(file, save.result);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(new URL('./load-snapshot.ts', import.meta.url)), file],
    {
      encoding: 'utf8',
    },
  );
  rmSync(dirname(file), { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`benchmark: snapshot load failed: ${child.stderr}`);
  const loaded = JSON.parse(child.stdout) as {
    coldMs: number;
    warmMs: number;
    nodes: number;
    parseMs: number;
    validateMs: number;
    buildMs: number;
  };
  if (loaded.nodes !== graph.nodeCount) throw new Error('benchmark: snapshot lost nodes');
  // In this process too, to show the effect of a loaded heap.
  const inProcess = time(() => loadSnapshot(save.result, { clock }).nodeCount);
  return {
    saveMs: save.ms,
    bytes: Buffer.byteLength(save.result),
    loadMs: loaded.coldMs,
    warmLoadMs: loaded.warmMs,
    loadParseMs: loaded.parseMs,
    loadValidateMs: loaded.validateMs,
    loadBuildMs: loaded.buildMs,
    inProcessLoadMs: inProcess.ms,
  };
}

function main(): void {
  const loadAtStart = round(loadavg()[0] as number, 2);
  log(`graph benchmark (seed ${seed})`);
  const smallRun = smallPhase();
  const largeRun = largePhase();
  const graph = largeRun.graph;
  const snapshot = snapshotPhase(graph);
  const { blast, library, dependencies, neighbourhood } = queryPhase(graph);
  const small = { length: smallRun.objects };
  const large = { length: largeRun.objects };
  const smallMs = smallRun.ms;
  const largeMs = largeRun.ms;
  const peakRss10k = smallRun.peakRss;
  const peakRss100k = largeRun.peakRss;
  const yamlRun = { ms: smallRun.yamlMs };
  const save = { ms: snapshot.saveMs };
  const load = { ms: snapshot.loadMs };

  const figures = {
    seed,
    quick,
    node: process.version,
    cpus: cpus().length,
    loadAverage1mAtStart: loadAtStart,
    loadAverage1mAtEnd: round(loadavg()[0] as number, 2),
    objectsSmall: small.length,
    objectsLarge: large.length,
    ingestObjectsPerSecond: Math.round(large.length / (largeMs / 1000)),
    ingestMs100k: Math.round(largeMs),
    ingestObjectsPerSecond10k: Math.round(small.length / (smallMs / 1000)),
    ingestMs10k: round(smallMs, 1),
    ingestYamlObjectsPerSecond10k: Math.round(small.length / (yamlRun.ms / 1000)),
    peakRssMb10k: peakRss10k,
    peakRssMb100k: peakRss100k,
    nodes100k: graph.nodeCount,
    edges100k: graph.edgeCount,
    blastRadius3P50Ms: blast.ours.p50,
    blastRadius3P99Ms: blast.ours.p99,
    blastRadius3MeanHits: blast.meanHits,
    blastRadius3MaxHits: blast.maxHits,
    rawBlastRadius3P50Ms: blast.raw.p50,
    rawBlastRadius3P99Ms: blast.raw.p99,
    blastRadiusRatioToGraphology: round(blast.ours.p50 / blast.raw.p50, 2),
    blastRadiusRatioToGraphologyP99: round(blast.ours.p99 / blast.raw.p99, 2),
    traversalLibraryBfs3P50Ms: library.raw.p50,
    traversalLibraryBfs3P99Ms: library.raw.p99,
    dependencies3P50Ms: dependencies.ours.p50,
    dependencies3P99Ms: dependencies.ours.p99,
    dependencies3MeanHits: dependencies.meanHits,
    rawDependencies3P50Ms: dependencies.raw.p50,
    dependenciesRatioToGraphology: round(dependencies.ours.p50 / dependencies.raw.p50, 2),
    neighbourhood2P50Ms: neighbourhood.ours.p50,
    neighbourhood2P99Ms: neighbourhood.ours.p99,
    neighbourhood2MeanNodes: neighbourhood.meanHits,
    rawNeighbourhood2P50Ms: neighbourhood.raw.p50,
    rawNeighbourhood2P99Ms: neighbourhood.raw.p99,
    neighbourhoodRatioToGraphology: round(neighbourhood.ours.p50 / neighbourhood.raw.p50, 2),
    snapshotSaveMs100k: Math.round(save.ms),
    snapshotBytes100k: snapshot.bytes,
    snapshotLoadMs100k: Math.round(load.ms),
    snapshotLoadWarmMs100k: Math.round(snapshot.warmLoadMs),
    snapshotLoadParseMs100k: Math.round(snapshot.loadParseMs),
    snapshotLoadValidateMs100k: Math.round(snapshot.loadValidateMs),
    snapshotLoadBuildMs100k: Math.round(snapshot.loadBuildMs),
    snapshotLoadInBusyProcessMs100k: Math.round(snapshot.inProcessLoadMs),
  };
  const outIndex = process.argv.indexOf('--out');
  const outFile = outIndex < 0 ? undefined : process.argv[outIndex + 1];
  if (outFile !== undefined) writeFileSync(outFile, `${JSON.stringify(figures, null, 2)}\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const rows: [string, string, string][] = [
    [
      'ingest (parsed objects)',
      `${figures.ingestObjectsPerSecond} objects/s at ${large.length}`,
      '≥ 50 000 objects/s',
    ],
    ['ingest (parsed objects)', `${figures.ingestObjectsPerSecond10k} objects/s at ${small.length}`, ''],
    ['ingest from YAML', `${figures.ingestYamlObjectsPerSecond10k} objects/s at ${small.length}`, ''],
    [
      'peak RSS',
      `${figures.peakRssMb10k} MB after ${small.length}, ${figures.peakRssMb100k} MB after ${large.length}`,
      '',
    ],
    ['graph size', `${figures.nodes100k} nodes, ${figures.edges100k} edges`, ''],
    [
      'blast radius, depth 3',
      `p50 ${figures.blastRadius3P50Ms} ms, p99 ${figures.blastRadius3P99Ms} ms (${figures.blastRadius3MeanHits} hits)`,
      'p99 ≤ 1 ms',
    ],
    [
      '  raw graphology',
      `p50 ${figures.rawBlastRadius3P50Ms} ms, p99 ${figures.rawBlastRadius3P99Ms} ms; ratio ${figures.blastRadiusRatioToGraphology}`,
      'ratio ≤ 2',
    ],
    [
      '  graphology-traversal bfs',
      `p50 ${figures.traversalLibraryBfs3P50Ms} ms, p99 ${figures.traversalLibraryBfs3P99Ms} ms`,
      '',
    ],
    [
      'dependencies, depth 3',
      `p50 ${figures.dependencies3P50Ms} ms, p99 ${figures.dependencies3P99Ms} ms`,
      '',
    ],
    [
      'neighbourhood, depth 2',
      `p50 ${figures.neighbourhood2P50Ms} ms, p99 ${figures.neighbourhood2P99Ms} ms (${figures.neighbourhood2MeanNodes} nodes)`,
      '',
    ],
    [
      '  raw graphology',
      `p50 ${figures.rawNeighbourhood2P50Ms} ms, p99 ${figures.rawNeighbourhood2P99Ms} ms; ratio ${figures.neighbourhoodRatioToGraphology}`,
      'ratio ≤ 2',
    ],
    [
      'snapshot',
      `save ${figures.snapshotSaveMs100k} ms, ${(figures.snapshotBytes100k / 2 ** 20).toFixed(1)} MiB, load ${figures.snapshotLoadMs100k} ms (warm ${figures.snapshotLoadWarmMs100k} ms; parse ${figures.snapshotLoadParseMs100k}, validate ${figures.snapshotLoadValidateMs100k}, build ${figures.snapshotLoadBuildMs100k})`,
      'load ≤ 2 000 ms',
    ],
  ];
  for (const [name, value, target] of rows)
    process.stdout.write(`${name.padEnd(28)} ${value.padEnd(64)} ${target}\n`);
}

main();
