/** Top-1 and top-3 recall over a set of issues. */
export interface RecallScore {
  /** How many issues. */
  count: number;
  /** Share whose root cause is ranked first (`null` without issues). */
  top1: number | null;
  /** Share whose root cause is among the first three (`null` without issues). */
  top3: number | null;
}

/** The scores of one issue: the engine's and the baselines' hits. */
export interface IssueScore {
  /** The issue id (`low_traffic/test/issue_3`). */
  id: string;
  /** `low`, `high` or `temporal`. */
  traffic: string;
  /** `train` or `test`. */
  split: string;
  /** The target metric. */
  metric: string;
  /** The engine's rank of the root cause, 1-based (`null`: not ranked). */
  rank: number | null;
  /** The random baseline's expected top-1 and top-3 hits (averaged over seeds). */
  random: { top1: number; top3: number };
  /** The z-score baseline's rank of the root cause, 1-based (`null`: not ranked). */
  zscoreRank: number | null;
}

/** One normal-operation window: did the engine claim a root cause? */
export interface NormalWindowScore {
  /** The window id. */
  id: string;
  /** `low`, `high` or `temporal`. */
  traffic: string;
  /** The metric the window was triggered on. */
  metric: string;
  /** True when the engine claimed no root cause with confidence ≥ 0.5 (correct). */
  quiet: boolean;
}

/**
 * The rank (1-based) of `answer` in a ranking of components, after removing repeats (a component appears
 * once, at its best place); `null` when it is absent.
 *
 * @param ranking - components, best first, possibly repeated
 * @param answer - the root-cause component
 */
export function rankOf(ranking: readonly string[], answer: string): number | null {
  const unique = [...new Set(ranking)];
  const index = unique.indexOf(answer);
  return index < 0 ? null : index + 1;
}

const share = (hits: number, count: number) => (count === 0 ? null : Number((hits / count).toFixed(3)));

/**
 * Top-1 and top-3 recall of ranks.
 *
 * @param ranks - 1-based ranks (`null`: not ranked)
 */
export function recall(ranks: readonly (number | null)[]): RecallScore {
  return {
    count: ranks.length,
    top1: share(ranks.filter((rank) => rank === 1).length, ranks.length),
    top3: share(ranks.filter((rank) => rank !== null && rank <= 3).length, ranks.length),
  };
}

/** One cell of the PetShop table: a traffic scenario and a target metric. */
export interface PetShopCell {
  /** `low`, `high` or `temporal`. */
  traffic: string;
  /** `latency` or `availability`. */
  metric: string;
  /** Issues in the cell. */
  count: number;
  /** Top-1 recall of the engine. */
  top1: number | null;
  /** Top-3 recall of the engine. */
  top3: number | null;
  /** Share of normal windows where the engine claimed nothing (`null` without normal data). */
  specificity: number | null;
  /** The same recall on `train/` and on `test/` issues. */
  splits: { train: RecallScore; test: RecallScore };
  /** The baselines on the same issues. */
  baselines: { random: Omit<RecallScore, 'count'>; zscore: Omit<RecallScore, 'count'> };
  /** How many normal windows the specificity rests on. */
  normalWindows: number;
}

/** The whole PetShop evaluation, as `aisre eval --dataset petshop --json` prints it. */
export interface PetShopEvalResult {
  /** Per traffic scenario and metric. */
  cells: PetShopCell[];
  /** The baselines over every issue. */
  baselines: { random: Omit<RecallScore, 'count'>; zscore: Omit<RecallScore, 'count'> };
  /** The engine over every issue, with the train and test splits. */
  summary: RecallScore & { splits: { train: RecallScore; test: RecallScore }; specificity: number | null };
  /** Issues or windows that could not be loaded or run. */
  errors: { id: string; error: string }[];
}

function mean(values: readonly number[]): number | null {
  return values.length === 0
    ? null
    : Number((values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(3));
}

function baselinesOf(issues: readonly IssueScore[]): PetShopCell['baselines'] {
  const zscore = recall(issues.map((issue) => issue.zscoreRank));
  return {
    random: {
      top1: mean(issues.map((issue) => issue.random.top1)),
      top3: mean(issues.map((issue) => issue.random.top3)),
    },
    zscore: { top1: zscore.top1, top3: zscore.top3 },
  };
}

const trafficOrder = ['low', 'high', 'temporal'];
const metricOrder = ['latency', 'availability'];

/**
 * Aggregates issue and window scores into the PetShop table: one cell per (traffic, metric) with the
 * engine's recall (all issues, and train/test apart), its specificity on normal windows, and the baselines.
 *
 * @param issues - every issue's score
 * @param windows - every normal window's score
 * @param errors - what could not be run
 */
export function summarizePetShop(
  issues: readonly IssueScore[],
  windows: readonly NormalWindowScore[],
  errors: PetShopEvalResult['errors'] = [],
): PetShopEvalResult {
  const keys = [...new Set(issues.map((issue) => `${issue.traffic}|${issue.metric}`))].sort((a, b) => {
    const [trafficA = '', metricA = ''] = a.split('|');
    const [trafficB = '', metricB = ''] = b.split('|');
    const order = (list: string[], value: string) =>
      list.includes(value) ? list.indexOf(value) : list.length;
    return (
      order(trafficOrder, trafficA) - order(trafficOrder, trafficB) ||
      order(metricOrder, metricA) - order(metricOrder, metricB) ||
      (a < b ? -1 : 1)
    );
  });
  const splitsOf = (subset: readonly IssueScore[]) => ({
    train: recall(subset.filter((issue) => issue.split === 'train').map((issue) => issue.rank)),
    test: recall(subset.filter((issue) => issue.split === 'test').map((issue) => issue.rank)),
  });
  const cells = keys.map((key): PetShopCell => {
    const [traffic = '', metric = ''] = key.split('|');
    const subset = issues.filter((issue) => issue.traffic === traffic && issue.metric === metric);
    const normal = windows.filter((window) => window.traffic === traffic && window.metric === metric);
    return {
      traffic,
      metric,
      ...recall(subset.map((issue) => issue.rank)),
      specificity: share(normal.filter((window) => window.quiet).length, normal.length),
      splits: splitsOf(subset),
      baselines: baselinesOf(subset),
      normalWindows: normal.length,
    };
  });
  return {
    cells,
    baselines: baselinesOf(issues),
    summary: {
      ...recall(issues.map((issue) => issue.rank)),
      splits: splitsOf(issues),
      specificity: share(windows.filter((window) => window.quiet).length, windows.length),
    },
    errors: [...errors],
  };
}
