import type { Scenario } from '@aisre/connector-mock';
import { createMockConnector, scenarioTrigger, withoutExpectations } from '@aisre/connector-mock';
import {
  type BudgetLimits,
  type Clock,
  type Connector,
  createInvestigator,
  createManualClock,
  type InvestigationEmitter,
  type Report,
  type RevisedDecision,
  reviseDecisionAfterInvestigation,
  type Signal,
  silentLogger,
  type TriageResult,
  triageSignal,
} from '@aisre/core';

/** Options of {@link runScenario}. */
export interface ScenarioRunOptions {
  /** How many checks run at once. */
  concurrency?: number;
  /** Budget overrides (from `--max-tool-calls`, `--max-seconds`). */
  budget?: Partial<BudgetLimits>;
  /** Called with the investigator's events before it starts, to show progress. */
  listen?: (events: InvestigationEmitter) => void;
  /** The host's monotonic clock, milliseconds, to measure the real time the run took. */
  now: () => number;
}

/** The outcome of {@link runScenario}. */
export interface ScenarioRun {
  /** The report of the investigation with the trigger's own severity budget (what the root-cause scores read). */
  report: Report;
  /** What triage decided about the trigger (with its reasons), before the investigation. */
  triage: TriageResult;
  /**
   * The decision as awareness takes it: triage's, then, for `investigate` and `escalate`, revised by the
   * investigation triage's budget pays for ({@link reviseDecisionAfterInvestigation}).
   */
  decision: RevisedDecision;
  /** The report of that investigation (absent when triage decided ignore or watch). */
  decisionReport?: Report;
  /** Real time the investigation took, milliseconds. */
  wallMs: number;
}

function sameLimits(left: BudgetLimits, right: BudgetLimits): boolean {
  return (
    left.wallTimeMs === right.wallTimeMs &&
    left.toolCalls === right.toolCalls &&
    left.modelTokens === right.modelTokens &&
    left.costUsd === right.costUsd
  );
}

/**
 * Triages a scenario's trigger with core's awareness (after the signals that came before it) and
 * investigates it with the built-in engine on the mock connector, with the trigger's severity budget (the
 * root-cause report). The decision is taken as awareness takes it: when triage calls for an investigation, the
 * one its budget pays for (the same report when the budgets are equal, a second run otherwise) confirms or
 * revises it. The engine sees only what real telemetry would show: the scenario without its expectations,
 * through the connector. The mock connector starts at the trigger time and each investigator runs on a
 * manual clock set to it, so the reports are the same on every run.
 *
 * @param scenario - the scenario (its `expect` is stripped before anything sees it)
 * @param options - concurrency, budget overrides, a listener and the host clock
 */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioRun> {
  const hidden = withoutExpectations(scenario);
  const trigger = scenarioTrigger(hidden);
  // One connector serves triage and both investigations: it answers as of the trigger time, and nothing here
  // changes it (no action is applied), so its simulation is computed once.
  const connector = createMockConnector(hidden, { now: Date.parse(trigger.at) });
  const investigate = (budget: Partial<BudgetLimits> | undefined, listen?: ScenarioRunOptions['listen']) => {
    const investigator = createInvestigator({
      connectors: [connector],
      clock: createManualClock(connector.now()),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(budget === undefined ? {} : { budget }),
    });
    listen?.(investigator.events);
    return investigator.investigate(trigger);
  };
  const started = options.now();
  const triage = await triageTrigger(connector, trigger, createManualClock(connector.now()));
  const report = await investigate(options.budget, options.listen);
  const wallMs = options.now() - started;
  if (!triage.budget || (triage.decision !== 'investigate' && triage.decision !== 'escalate'))
    return { report, triage, decision: { decision: triage.decision, reason: 'not investigated' }, wallMs };
  const decisionReport = sameLimits(triage.budget, report.budget.limits)
    ? report
    : await investigate(triage.budget);
  const decision = reviseDecisionAfterInvestigation(triage.decision, decisionReport, triage);
  return { report, triage, decision, decisionReport, wallMs };
}

/**
 * Triages a trigger with core's awareness on a connector, after the signals the connector raised in the
 * three hours before it (so related alerts and changes count), as an on-call engineer would get it.
 *
 * @param connector - the connector (its topology, metrics, changes and signals are read)
 * @param trigger - the signal to triage
 * @param clock - the clock, set to the trigger time
 */
export async function triageTrigger(
  connector: Connector,
  trigger: Signal,
  clock: Clock,
): Promise<TriageResult> {
  const context = { signal: new AbortController().signal, logger: silentLogger, clock };
  const now = clock.now();
  const earlier =
    (await connector.capabilities.signals?.list({ start: now - 3 * 3_600_000, end: now }, context)) ?? [];
  return triageSignal({
    connectors: [connector],
    signal: trigger,
    clock,
    recentSignals: earlier.filter((signal) => signal.id !== trigger.id),
  });
}

/**
 * Triages a scenario's trigger on the mock connector (the scenario's expectations stripped first).
 *
 * @param scenario - the scenario
 */
export async function triageScenario(scenario: Scenario): Promise<TriageResult> {
  const hidden = withoutExpectations(scenario);
  const trigger = scenarioTrigger(hidden);
  const connector = createMockConnector(hidden, { now: Date.parse(trigger.at) });
  return triageTrigger(connector, trigger, createManualClock(connector.now()));
}
