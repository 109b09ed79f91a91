import { relative, resolve } from 'node:path';
import {
  builtInScenarioNames,
  loadBuiltInScenario,
  loadScenarioFile,
  type Scenario,
} from '@aisre/connector-mock';
import type { Report } from '@aisre/core';
import { type CliIo, exitCodes } from './cli-io';
import { commonFlags, numberFlag, parseCommandFlags } from './command-flags';
import {
  type EvalFailure,
  type EvalResult,
  type ScenarioScore,
  scoreScenario,
  summarizeScores,
} from './eval-scoring';
import { renderEvalTable } from './eval-table';
import { generateScenarioVariants } from './eval-variants';
import { commandHelp } from './help-text';
import { evaluatePetShop, renderPetShopTable } from './petshop-eval';
import { runScenario } from './scenario-run';
import { scenarioFilesIn } from './scenario-source';
import { UsageError } from './usage-error';

const flags = {
  ...commonFlags,
  json: { type: 'boolean' },
  concurrency: { type: 'string' },
  dataset: { type: 'string' },
  path: { type: 'string' },
  variants: { type: 'string' },
  seed: { type: 'string' },
} as const;

/** A scenario to evaluate: where it comes from, and how to load it. */
export interface EvalSource {
  /** The file path (or the built-in scenario's name), as shown in results and errors. */
  file: string;
  /** Loads and validates the scenario. */
  load: () => Promise<Scenario> | Scenario;
}

/** Options of {@link evaluateScenarios}. */
export interface EvaluateOptions {
  /** How many checks run at once in each investigation. */
  concurrency?: number;
  /** The host's monotonic clock, milliseconds. */
  now: () => number;
  /** Called after each scenario, to show progress. */
  onScenario?: (progress: {
    index: number;
    total: number;
    file: string;
    score?: ScenarioScore;
    error?: string;
  }) => void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs and scores scenarios one after another. The engine only ever gets each scenario without its
 * expectations (through {@link runScenario}); the scorer reads them. A scenario that fails to load or to
 * run is recorded in `errors` and the others go on.
 *
 * @param sources - the scenarios, in order
 * @param options - concurrency, the host clock and a progress callback
 */
export async function evaluateScenarios(
  sources: readonly EvalSource[],
  options: EvaluateOptions,
): Promise<EvalResult> {
  const scored: { score: ScenarioScore; report: Report }[] = [];
  const errors: EvalFailure[] = [];
  for (const [index, source] of sources.entries()) {
    const progress = { index: index + 1, total: sources.length, file: source.file };
    try {
      const scenario = await source.load();
      const { report, decision, decisionReport, wallMs } = await runScenario(scenario, {
        now: options.now,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      });
      const score = scoreScenario({
        name: scenario.name,
        expect: scenario.expect,
        severity: scenario.trigger.severity,
        report,
        decision: decision.decision,
        decisionReason: decision.reason,
        ...(decisionReport ? { decisionReport } : {}),
        wallMs,
      });
      scored.push({ score, report });
      options.onScenario?.({ ...progress, score });
    } catch (error) {
      errors.push({ file: source.file, error: messageOf(error) });
      options.onScenario?.({ ...progress, error: messageOf(error) });
    }
  }
  return { summary: summarizeScores(scored), scenarios: scored.map((entry) => entry.score), errors };
}

/**
 * The scenarios `aisre eval` runs: every scenario file of `folder`, or the built-in library without one.
 *
 * @param folder - a folder of scenario files, or undefined for the built-in library
 * @param cwd - the folder relative paths start from
 */
export function evalSources(folder: string | undefined, cwd: string): EvalSource[] {
  if (folder === undefined) {
    return builtInScenarioNames().map((name) => ({ file: name, load: () => loadBuiltInScenario(name) }));
  }
  return scenarioFilesIn(folder, cwd).map((path) => ({
    file: relative(cwd, path) || path,
    load: () => loadScenarioFile(path),
  }));
}

/**
 * `aisre eval [<folder>] [--json] [--concurrency N]`: runs every scenario of the folder (default: the
 * built-in library) and prints a table and summary, or with `--json` exactly one JSON object
 * `{ summary, scenarios, errors }` on standard output. Progress goes to standard error.
 *
 * @param args - the arguments after `eval`
 * @param io - where to write
 * @returns the exit code: 0 when the run completed (even with failed files), 2 on a usage error
 */
export async function evalCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('eval', args, flags, 1);
  if (values.help) {
    io.stdout(commandHelp.eval ?? '');
    return exitCodes.ok;
  }
  const concurrency = numberFlag('eval', 'concurrency', values.concurrency, { integer: true, min: 1 });
  if (values.dataset !== undefined || values.path !== undefined) {
    if (values.dataset !== 'petshop')
      throw new UsageError(`aisre eval: --dataset must be petshop, got "${values.dataset ?? ''}"`, 'eval');
    if (!values.path || positionals.length > 0)
      throw new UsageError('aisre eval: --dataset petshop needs --path <dir> and no folder argument', 'eval');
    const started = io.now();
    const result = await evaluatePetShop({
      path: resolve(io.cwd, values.path),
      ...(concurrency === undefined ? {} : { concurrency }),
      onProgress: (line) => io.stderr(`eval petshop: ${line}\n`),
    });
    io.stderr(`eval petshop: done in ${Math.round((io.now() - started) / 1000)} s\n`);
    io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderPetShopTable(result));
    return exitCodes.ok;
  }
  const variantCount = numberFlag('eval', 'variants', values.variants, { integer: true, min: 1 });
  const seed = numberFlag('eval', 'seed', values.seed, { integer: true, min: 0 });
  if (seed !== undefined && variantCount === undefined)
    throw new UsageError('aisre eval: --seed goes with --variants', 'eval');
  if (variantCount !== undefined && positionals.length > 0)
    throw new UsageError('aisre eval: --variants generates its scenarios: give no folder', 'eval');
  const variants =
    variantCount === undefined
      ? undefined
      : await generateScenarioVariants({ seed: seed ?? 1, count: variantCount });
  const sources =
    variants === undefined
      ? evalSources(positionals[0], io.cwd)
      : variants.map((variant) => ({ file: variant.scenario.name, load: () => variant.scenario }));
  const result = await evaluateScenarios(sources, {
    now: io.now,
    ...(concurrency === undefined ? {} : { concurrency }),
    onScenario: ({ index, total, file, score, error }) => {
      const outcome = score
        ? `${score.top1 === null ? '' : score.top1 ? 'top-1 ✓ ' : 'top-1 ✗ '}${score.ending}, ${score.toolCalls} tool calls, ${score.wallMs} ms`
        : `error: ${error ?? 'unknown'}`;
      io.stderr(`eval [${index}/${total}] ${score?.name ?? file}: ${outcome}\n`);
    },
  });
  const output = variants
    ? {
        ...result,
        variants: variants.map((variant) => ({
          name: variant.scenario.name,
          case: variant.case,
          why: variant.why,
        })),
      }
    : result;
  io.stdout(values.json ? `${JSON.stringify(output, null, 2)}\n` : renderEvalTable(result));
  return exitCodes.ok;
}
