import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { createMockConnector, withoutExpectations } from '@aisre/connector-mock';
import { createCallContext, createManualClock, InvalidInputError, recordTopologySnapshot } from '@aisre/core';
import {
  createKnowledgeGraph,
  type IngestReport,
  ingestKubernetes,
  type KnowledgeGraph,
  loadSnapshot,
} from '@aisre/graph';
import { loadScenarioArgument } from './scenario-source';
import { UsageError } from './usage-error';

/** File endings read as Kubernetes manifests. */
const manifestExtensions = ['.yaml', '.yml', '.json'];

/** Where `aisre graph` builds its graph from. */
export interface GraphSources {
  /** Manifest files or folders (read recursively), as `kubectl get … -o yaml|json` prints them. */
  manifests: readonly string[];
  /** A scenario (file or built-in name) whose system the mock connector scans. */
  scenario?: string;
  /** A snapshot file to start from. */
  snapshot?: string;
}

/** What one manifest file gave. */
export interface ManifestIngest {
  /** The file, relative to the working folder. */
  file: string;
  /** The ingester's report. */
  report: IngestReport;
}

/** A graph and how it was built. */
export interface BuiltGraph {
  /** The graph. */
  graph: KnowledgeGraph;
  /** Each manifest file's ingest report, in the order read. */
  ingests: ManifestIngest[];
  /** The scenario scanned, when one was. */
  scenario?: string;
}

function manifestFiles(path: string, command: string): string[] {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    throw new UsageError(`aisre ${command}: no such file or folder "${path}"`, command);
  }
  if (stats.isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      const childStats = statSync(child);
      if (childStats.isDirectory()) return manifestFiles(child, command);
      return manifestExtensions.includes(extname(name).toLowerCase()) ? [child] : [];
    });
}

function readSnapshot(file: string, command: string): KnowledgeGraph {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`aisre ${command}: cannot read the snapshot "${file}"`, command);
  }
  try {
    return loadSnapshot(text);
  } catch (error) {
    throw new InvalidInputError(
      `${command}: "${file}" is not a readable graph snapshot: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Builds a knowledge graph from a snapshot, manifest files and a scenario's scanned system, in that order.
 * Malformed manifests are reported in their file's ingest report (document index and field path) and the
 * rest is still ingested; a missing file or folder is a {@link UsageError}; a corrupt snapshot is an
 * `InvalidInputError` carrying the graph's reason.
 *
 * @param sources - where to read from
 * @param cwd - the folder relative paths start from
 * @param command - the command's name, for messages
 */
export async function buildGraph(sources: GraphSources, cwd: string, command: string): Promise<BuiltGraph> {
  const graph = sources.snapshot
    ? readSnapshot(resolve(cwd, sources.snapshot), command)
    : createKnowledgeGraph();
  const ingests: ManifestIngest[] = [];
  for (const argument of sources.manifests) {
    for (const file of manifestFiles(resolve(cwd, argument), command)) {
      const name = relative(cwd, file) || file;
      const report = ingestKubernetes(graph, readFileSync(file, 'utf8'), { citation: name });
      ingests.push({ file: name, report });
    }
  }
  if (!sources.scenario) return { graph, ingests };
  const scenario = withoutExpectations(await loadScenarioArgument(sources.scenario, cwd, command));
  const connector = createMockConnector(scenario);
  const clock = createManualClock(connector.now());
  const snapshot = await connector.capabilities.topology?.scan(createCallContext({ clock }));
  if (snapshot) {
    recordTopologySnapshot(graph, snapshot, {
      source: 'kubernetes',
      citation: `topology scan of scenario ${scenario.name}`,
    });
  }
  return { graph, ingests, scenario: scenario.name };
}
