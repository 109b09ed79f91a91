import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  listPetShopIssues,
  loadPetShopGraph,
  loadPetShopIssue,
  loadPetShopNormalWindows,
  type PetShopCase,
  type PetShopIssueLocation,
} from '@aisre/connector-replay';
import type { Report } from '@aisre/core';
import { claimedRootCause } from './claimed-cause';
import { randomRanking, seededRandom, zScoreRanking } from './petshop-baselines';
import { investigatePetShopCase } from './petshop-run';
import {
  type IssueScore,
  type NormalWindowScore,
  type PetShopEvalResult,
  rankOf,
  summarizePetShop,
} from './petshop-scoring';

/** The traffic cell of a scenario folder: `low_traffic` → `low`, `temporal_traffic2` → `temporal`. */
export function trafficOf(scenario: string): string {
  if (scenario.startsWith('temporal')) return 'temporal';
  return scenario.replace(/_traffic$/, '');
}

/**
 * The scorer's side: the root-cause component of an issue (`target.json`'s `root_cause.node`). Only the
 * scorer reads it, after the investigation; the engine never gets it.
 *
 * @param location - the issue
 */
export function readPetShopAnswer(location: PetShopIssueLocation): string {
  const file = join(location.directory, 'target.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { root_cause?: { node?: unknown } };
  const node = parsed.root_cause?.node;
  if (typeof node !== 'string' || node === '')
    throw new Error(`aisre eval: ${file} has no root_cause.node to score against`);
  return node;
}

/**
 * The components a report ranks, best first: each component's probability of being the root cause — the
 * engine's posterior summed over the faults it weighed for it (a refined entity-level candidate hands its
 * weight to its faults, so only the leaves count) — ties by name.
 */
export function rankedComponents(report: Report, petShopCase: PetShopCase): string[] {
  const mass = new Map<string, number>();
  for (const path of report.explored) {
    if (path.status === 'supported') continue;
    const component = petShopCase.components.componentOf.get(path.entity);
    if (component === undefined) continue;
    mass.set(component, (mass.get(component) ?? 0) + path.posterior);
  }
  return [...mass].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([component]) => component);
}

/** Options of {@link evaluatePetShop}. */
export interface PetShopEvalOptions {
  /** The dataset folder. */
  path: string;
  /** How many random rankings the random baseline averages (default 200). */
  randomRuns?: number;
  /** The random baseline's seed (default 42). */
  seed?: number;
  /** How many checks run at once in each investigation. */
  concurrency?: number;
  /** Called after each issue and window, to show progress. */
  onProgress?: (line: string) => void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Evaluates the engine on the PetShop dataset: every issue investigated through a replay connector (the
 * engine never sees `root_cause` or `metadata`), scored on top-1/top-3 recall of the root-cause component;
 * normal operation cut into issue-sized windows and triggered on the issues' target node, scored on
 * specificity; and two baselines on the same issues (random ranking, robust z-score ranking).
 *
 * @param options - the dataset folder, baseline settings, progress callback
 */
export async function evaluatePetShop(options: PetShopEvalOptions): Promise<PetShopEvalResult> {
  const issues: IssueScore[] = [];
  const windows: NormalWindowScore[] = [];
  const errors: PetShopEvalResult['errors'] = [];
  const runs = options.randomRuns ?? 200;
  const random = seededRandom(options.seed ?? 42);
  const locations = listPetShopIssues(options.path);
  const graphs = new Map<string, ReturnType<typeof loadPetShopGraph>>();
  const windowSize = new Map<string, number>();
  const targetNodes = new Map<string, Map<string, number>>();
  const investigateOptions = options.concurrency === undefined ? {} : { concurrency: options.concurrency };
  for (const location of locations) {
    const id = `${location.scenario}/${location.split}/${location.name}`;
    try {
      const scenarioDirectory = join(options.path, location.scenario);
      const graph = graphs.get(scenarioDirectory) ?? loadPetShopGraph(scenarioDirectory);
      graphs.set(scenarioDirectory, graph);
      const petShopCase = loadPetShopIssue(location, graph);
      const rows = petShopCase.recording.series[0]?.points.length ?? 0;
      if (!windowSize.has(location.scenario)) windowSize.set(location.scenario, rows);
      const nodes = targetNodes.get(location.scenario) ?? new Map<string, number>();
      const node = petShopCase.components.componentOf.get(petShopCase.trigger.entity) ?? '';
      nodes.set(node, (nodes.get(node) ?? 0) + 1);
      targetNodes.set(location.scenario, nodes);
      const metric = petShopCase.trigger.labels.metric === 'availability' ? 'availability' : 'latency';
      const report = await investigatePetShopCase(petShopCase, investigateOptions);
      const answer = readPetShopAnswer(location);
      let randomTop1 = 0;
      let randomTop3 = 0;
      for (let run = 0; run < runs; run++) {
        const rank = rankOf(randomRanking(petShopCase, random), answer);
        if (rank === 1) randomTop1++;
        if (rank !== null && rank <= 3) randomTop3++;
      }
      const rank = rankOf(rankedComponents(report, petShopCase), answer);
      issues.push({
        id,
        traffic: trafficOf(location.scenario),
        split: location.split,
        metric,
        rank,
        random: { top1: randomTop1 / runs, top3: randomTop3 / runs },
        zscoreRank: rankOf(zScoreRanking(petShopCase, metric), answer),
      });
      options.onProgress?.(`${id} (${metric}): rank ${rank ?? '—'}, ${report.ending.kind}`);
    } catch (error) {
      errors.push({ id, error: messageOf(error) });
      options.onProgress?.(`${id}: error: ${messageOf(error)}`);
    }
  }
  for (const [scenario, size] of windowSize) {
    const nodes = [...(targetNodes.get(scenario) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    const node = nodes[0]?.[0];
    if (!node || size < 4) continue;
    for (const metric of ['latency', 'availability'] as const) {
      let cases: PetShopCase[] = [];
      try {
        cases = loadPetShopNormalWindows(join(options.path, scenario), { size, target: { node, metric } });
      } catch (error) {
        errors.push({ id: `${scenario}/noissue`, error: messageOf(error) });
      }
      let quiet = 0;
      for (const petShopCase of cases) {
        try {
          const report = await investigatePetShopCase(petShopCase, investigateOptions);
          const isQuiet = claimedRootCause(report) === undefined;
          if (isQuiet) quiet++;
          windows.push({ id: petShopCase.id, traffic: trafficOf(scenario), metric, quiet: isQuiet });
        } catch (error) {
          errors.push({ id: petShopCase.id, error: messageOf(error) });
        }
      }
      if (cases.length > 0)
        options.onProgress?.(`${scenario}/noissue (${metric}): ${quiet}/${cases.length} windows quiet`);
    }
  }
  return summarizePetShop(issues, windows, errors);
}

const percent = (value: number | null) => (value === null ? '   —' : value.toFixed(2).padStart(4));

/**
 * Renders the PetShop evaluation as a plain-text table: per cell the engine's top-1/top-3 (all, train, test),
 * its specificity, and the baselines' top-1/top-3.
 *
 * @param result - the evaluation
 */
export function renderPetShopTable(result: PetShopEvalResult): string {
  const lines = [
    'traffic   metric        n  top1 top3 | train n top1 top3 | test n top1 top3 | spec (windows) | random top1 top3 | z-score top1 top3',
  ];
  const row = (
    traffic: string,
    metric: string,
    score: { count: number; top1: number | null; top3: number | null },
    splits: PetShopEvalResult['summary']['splits'],
    specificity: number | null,
    windows: string,
    baselines: PetShopEvalResult['baselines'],
  ) =>
    `${traffic.padEnd(9)} ${metric.padEnd(12)} ${String(score.count).padStart(3)}  ${percent(score.top1)} ${percent(score.top3)} | ${String(splits.train.count).padStart(7)} ${percent(splits.train.top1)} ${percent(splits.train.top3)} | ${String(splits.test.count).padStart(6)} ${percent(splits.test.top1)} ${percent(splits.test.top3)} | ${percent(specificity)} ${windows.padStart(9)} | ${' '.repeat(6)} ${percent(baselines.random.top1)} ${percent(baselines.random.top3)} | ${' '.repeat(7)} ${percent(baselines.zscore.top1)} ${percent(baselines.zscore.top3)}`;
  for (const cell of result.cells) {
    lines.push(
      row(
        cell.traffic,
        cell.metric,
        cell,
        cell.splits,
        cell.specificity,
        `(${cell.normalWindows})`,
        cell.baselines,
      ),
    );
  }
  const { summary } = result;
  lines.push(row('all', '', summary, summary.splits, summary.specificity, '', result.baselines));
  for (const error of result.errors) lines.push(`error: ${error.id}: ${error.error}`);
  return `${lines.join('\n')}\n`;
}
