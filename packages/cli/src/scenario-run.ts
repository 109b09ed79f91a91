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
  /** The report. */
  report: Report;
  /** What triage decided about the trigger (with its reasons), before the investigation. */
  triage: TriageResult;
  /** Real time the investigation took, milliseconds. */
  wallMs: number;
}

/**
 * Triages a scenario's trigger with core's awareness (after the signals that came before it) and
 * investigates it with the built-in engine on the mock connector. The engine sees only
 * what real telemetry would show: the scenario without its expectations, through the connector. The mock
 * connector starts at the trigger time and the investigator runs on a manual clock set to it, so the
 * report is the same on every run.
 *
 * @param scenario - the scenario (its `expect` is stripped before anything sees it)
 * @param options - concurrency, budget overrides, a listener and the host clock
 */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioRun> {
  const hidden = withoutExpectations(scenario);
  const trigger = scenarioTrigger(hidden);
  const connector = createMockConnector(hidden, { now: Date.parse(trigger.at) });
  const clock = createManualClock(connector.now());
  const investigator = createInvestigator({
    connectors: [connector],
    clock,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  options.listen?.(investigator.events);
  const started = options.now();
  const triage = await triageTrigger(connector, trigger, clock);
  const report = await investigator.investigate(trigger);
  return { report, triage, wallMs: options.now() - started };
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
