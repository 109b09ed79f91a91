import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidInputError, parseWith } from '@aisre/core';
import { z } from 'zod';
import { parseWideCsv, type WideTable } from '../wide-csv';
import { buildPetShopCase, type PetShopCase, type PetShopTarget } from './petshop-case';
import { type CallGraph, parseCallGraphCsv } from './petshop-graph';

/** One issue of the dataset: where it is, not what caused it. */
export interface PetShopIssueLocation {
  /** The traffic scenario folder (`low_traffic`, `temporal_traffic1`, …). */
  scenario: string;
  /** `train` or `test`. */
  split: string;
  /** The issue folder (`issue_3`). */
  name: string;
  /** The issue folder's path. */
  directory: string;
}

/** Only `target` is read from `target.json`: `root_cause` and `metadata` name the answer. */
const targetFileSchema = z.object({
  target: z.object({
    node: z.string().min(1),
    metric: z.enum(['latency', 'availability']),
    agg: z.string().min(1).optional(),
  }),
});

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(
      `connector-replay: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
      {
        issues: [{ path: [path], message: 'unreadable' }],
        cause: error,
      },
    );
  }
}

const issueNumber = (name: string) => Number(/(\d+)$/.exec(name)?.[1] ?? Number.NaN);

/**
 * The issues of a PetShop dataset folder: every `<scenario>/<split>/<issue>` with a `metrics.csv` and a
 * `target.json`, where the scenario folder has a `graph.csv`. Sorted by scenario, split and issue number.
 *
 * @param root - the dataset folder (the one holding `low_traffic`, `high_traffic`, …)
 */
export function listPetShopIssues(root: string): PetShopIssueLocation[] {
  const out: PetShopIssueLocation[] = [];
  const folders = (path: string) =>
    readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  for (const scenario of folders(root)) {
    if (!existsSync(join(root, scenario, 'graph.csv'))) continue;
    for (const split of ['train', 'test']) {
      const splitPath = join(root, scenario, split);
      if (!existsSync(splitPath)) continue;
      const issues = folders(splitPath)
        .filter(
          (name) =>
            existsSync(join(splitPath, name, 'metrics.csv')) &&
            existsSync(join(splitPath, name, 'target.json')),
        )
        .sort((a, b) => issueNumber(a) - issueNumber(b) || (a < b ? -1 : 1));
      for (const name of issues) out.push({ scenario, split, name, directory: join(splitPath, name) });
    }
  }
  return out;
}

/**
 * Reads a scenario's call graph (`graph.csv`).
 *
 * @param scenarioDirectory - the scenario folder
 */
export function loadPetShopGraph(scenarioDirectory: string): {
  graph: CallGraph;
  problems: InvalidInputError[];
} {
  const file = join(scenarioDirectory, 'graph.csv');
  const { value, problems } = parseCallGraphCsv(readText(file), file);
  return { graph: value, problems };
}

/**
 * Reads where an issue was observed from its `target.json` — `target` only; `root_cause` and `metadata`
 * are never read.
 *
 * @param issueDirectory - the issue folder
 */
export function loadPetShopTarget(issueDirectory: string): PetShopTarget {
  const file = join(issueDirectory, 'target.json');
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw error;
    throw new InvalidInputError(`connector-replay: ${file} is not JSON`, {
      issues: [{ path: [file], message: 'not JSON' }],
    });
  }
  const { target } = parseWith(targetFileSchema, json, `connector-replay: ${file}`);
  return { node: target.node, metric: target.metric, ...(target.agg ? { statistic: target.agg } : {}) };
}

/**
 * Loads one issue as a case: the scenario's call graph, the issue's metrics and a trigger on its target.
 * Bad rows and cells are collected in `problems` and the rest loads.
 *
 * @param location - the issue (from {@link listPetShopIssues})
 * @param graph - the scenario's call graph, when already loaded
 */
export function loadPetShopIssue(
  location: PetShopIssueLocation,
  graph?: { graph: CallGraph; problems: InvalidInputError[] },
): PetShopCase {
  const scenarioDirectory = dirname(dirname(location.directory));
  const loadedGraph = graph ?? loadPetShopGraph(scenarioDirectory);
  const file = join(location.directory, 'metrics.csv');
  const table = parseWideCsv(readText(file), { file });
  return buildPetShopCase({
    id: `${location.scenario}/${location.split}/${location.name}`,
    table: table.value,
    graph: loadedGraph.graph,
    target: loadPetShopTarget(location.directory),
    file,
    problems: [...loadedGraph.problems, ...table.problems],
  });
}

/** Options of {@link loadPetShopNormalWindows}. */
export interface NormalWindowOptions {
  /** Rows per window (the size of an issue window). */
  size: number;
  /** Rows between the starts of two windows (default: `size`, windows do not overlap). */
  stride?: number;
  /** The alert each window is triggered with. */
  target: PetShopTarget;
}

/**
 * Cuts a scenario's normal operation (`noissue/metrics.csv`) into windows the size of an issue window and
 * loads each as a case triggered on `target`: an engine that claims a root cause there is wrong.
 * Returns no windows when the scenario has no normal data.
 *
 * @param scenarioDirectory - the scenario folder
 * @param options - window size, stride and target
 */
export function loadPetShopNormalWindows(
  scenarioDirectory: string,
  options: NormalWindowOptions,
): PetShopCase[] {
  const file = join(scenarioDirectory, 'noissue', 'metrics.csv');
  if (!existsSync(file)) return [];
  const graph = loadPetShopGraph(scenarioDirectory);
  const table = parseWideCsv(readText(file), { file });
  const rows = table.value.columns[0]?.points.length ?? 0;
  const stride = Math.max(1, options.stride ?? options.size);
  const cases: PetShopCase[] = [];
  for (let start = 0; start + options.size <= rows; start += stride) {
    const window: WideTable = {
      headerNames: table.value.headerNames,
      columns: table.value.columns.map((column) => ({
        header: column.header,
        points: column.points.slice(start, start + options.size),
      })),
    };
    cases.push(
      buildPetShopCase({
        id: `${basename(scenarioDirectory)}/noissue@${start}`,
        table: window,
        graph: graph.graph,
        target: options.target,
        file,
        problems: start === 0 ? [...graph.problems, ...table.problems] : [],
      }),
    );
  }
  return cases;
}
