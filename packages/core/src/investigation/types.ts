import type { KnowledgeGraph } from '@aisre/graph';
import type { BudgetLimits } from '../contracts/budget';
import type { Clock, Logger, Severity } from '../contracts/common';
import type { Connector } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import type { Hypothesis } from '../contracts/hypothesis';
import type { LanguageModel } from '../contracts/language-model';
import type { Report } from '../contracts/report';
import type { Signal } from '../contracts/signal';
import type { InvestigationEmitter } from '../events/investigation-events';
import type { FailurePattern } from './failure-patterns';
import type { HypothesisGenerator, PastIncident } from './hypothesis-generators';
import type { ModelReasoner } from './model-reasoning';
import type { StopRule } from './stop-rules';

/** Options of {@link createInvestigator}. */
export interface InvestigatorOptions {
  /** The connectors to investigate with. Their capabilities are called directly; their tools are offered to a model. */
  connectors: Connector[];
  /** A language model, optional: without one the engine works end to end on its built-in reasoning. */
  model?: LanguageModel;
  /** How the model reasons (proposes, plans tool calls, reads their output); used only with `model`. */
  reasoner?: ModelReasoner;
  /** Most hypotheses per round the model plans tool calls for (default 2). */
  modelHypothesesPerRound?: number;
  /** The clock budgets and steps are measured on (default: the system clock). */
  clock?: Clock;
  /** How many checks run at once (default 4). Reports do not depend on it. */
  concurrency?: number;
  /** Budget limits by severity (default {@link defaultBudgetsBySeverity}). */
  budgetTable?: Readonly<Record<Severity, Readonly<BudgetLimits>>>;
  /** Overrides applied to every investigation's limits. */
  budget?: Partial<BudgetLimits>;
  /** Extra failure patterns, added to (and replacing by `fault` id) the built-in library. */
  patterns?: FailurePattern[];
  /** Hypothesis generators (default: every built-in generator). */
  generators?: HypothesisGenerator[];
  /** When to stop (default {@link defaultStopRules}). The first rule that fires ends the run. */
  stopWhen?: StopRule[];
  /** How many hops from the trigger entity the scope reaches (default 3). */
  depth?: number;
  /** How far back telemetry is read, milliseconds (default 2 h). */
  lookbackMs?: number;
  /**
   * The recent window a series is read over against its baseline, milliseconds (default 10 min; never more
   * than a quarter of the data, never less than three data steps). Its median must move, so a symptom counts
   * as sustained once it has lasted about half of it: match it to your alert rules' `for` durations (a lab
   * whose rules fire after 5 s of a fault wants seconds, not minutes).
   */
  recentWindowMs?: number;
  /** Keep every step's output in the report, so the run can be replayed offline (default true). */
  keepOutputs?: boolean;
  /** Where to log. */
  logger?: Logger;
  /** How long one check may take before it is recorded as failed, milliseconds (default 20 s). */
  checkTimeoutMs?: number;
  /**
   * A knowledge graph to learn from and feed: what the scans find is written into it (with provenance citing the
   * step), and the dependencies it already knows for the entities in reach (from manifests, traces, documents or
   * earlier investigations) join the scope.
   */
  knowledge?: KnowledgeGraph;
  /** Past incidents touching the scope (from an incident memory), used by the `incidents` generator. */
  pastIncidents?: (entities: EntityRef[]) => PastIncident[];
}

/** Options of one investigation. */
export interface InvestigateOptions {
  /** Cancels the investigation; it ends `cancelled` with what it had gathered. */
  signal?: AbortSignal;
  /** Overrides of this investigation's budget limits. */
  budget?: Partial<BudgetLimits>;
  /** The investigation id (default: derived from the trigger). */
  id?: string;
  /** The time telemetry is read as of, epoch milliseconds (default: the trigger time or the clock, whichever is later). */
  asOf?: number;
}

/** An investigator: investigates triggers with a set of connectors, emitting typed events. */
export interface Investigator {
  /** Typed events of every investigation it runs. */
  readonly events: InvestigationEmitter;
  /** Investigates the trigger and resolves with the report (it never rejects for connector failures). */
  investigate(trigger: Signal, options?: InvestigateOptions): Promise<Report>;
}

/** The state stop rules look at. */
export interface InvestigationState {
  /** Competing hypotheses (leaves), most likely first. */
  ranked: readonly Hypothesis[];
  /** The probability left to causes no generator proposed. */
  unknownRemainder: number;
  /** The probability that nothing is wrong (the trigger is transient or noise). */
  noFault: number;
  /** Checks still worth running. */
  pendingChecks: number;
  /** The first spent budget limit, if any. */
  exhausted: string | undefined;
  /** Whether the run was cancelled. */
  cancelled: boolean;
  /** Completed rounds. */
  rounds: number;
  /** Checks that could not run (errors, missing capabilities). */
  failedChecks: number;
  /** Checks that ran. */
  completedChecks: number;
  /** The trigger entity. */
  trigger: EntityRef;
}
