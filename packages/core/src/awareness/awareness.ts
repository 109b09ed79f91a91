import { z } from 'zod';
import { defaultBudgetsBySeverity } from '../budget/severity-budgets';
import type { Report } from '../contracts/report';
import { type Signal, signalSchema } from '../contracts/signal';
import { AisreError, InvalidInputError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';
import { resolveFailurePatterns } from '../investigation/failure-patterns';
import { silentLogger } from '../runtime/call-context';
import { type AwarenessStage, createAwarenessEmitter } from './awareness-events';
import { reviseDecisionAfterInvestigation } from './decision-revision';
import { defaultSymptomTiming } from './deviation-rules';
import { formatEscalation } from './escalation-message';
import { patternsOf, recordFeedback } from './feedback-recording';
import { createMemoryTriageStore } from './memory-triage-store';
import { resolveSaturationResources } from './saturation-resources';
import { fingerprintOf } from './signal-fingerprint';
import { SignalLedger } from './signal-ledger';
import { SituationBook, type SituationState } from './situation-book';
import { callWithTimeout, describeFailure, TelemetryReader } from './telemetry-reading';
import { TopologyCache } from './topology-cache';
import { triageSituation } from './triage-engine';
import { resolveDecisionBudgets, resolveTriageThresholds } from './triage-thresholds';
import type {
  Awareness,
  AwarenessOptions,
  EscalationDelivery,
  FeedbackOutcome,
  IngestResult,
  ResponseResult,
  Situation,
} from './types';

const minute = 60_000;
const hour = 60 * minute;

const numericOptionsSchema = z.object({
  windowMs: z.number().positive().optional(),
  hops: z.number().int().nonnegative().optional(),
  lookbackMs: z
    .number()
    .min(10 * minute)
    .optional(),
  horizonMs: z.number().positive().optional(),
  retentionMs: z.number().positive().optional(),
  callTimeoutMs: z.number().positive().optional(),
  topologyRefreshMs: z.number().positive().optional(),
  symptomTiming: z
    .object({
      sustainedAfterMs: z.number().positive().optional(),
      recentMs: z.number().positive().optional(),
    })
    .optional(),
});
const outcomeSchema = z.enum(['useful', 'noise', 'missed']);

/**
 * Creates awareness over a set of connectors: it takes signals in (`ingest`, `poll`, `start`), deduplicates
 * them by fingerprint, groups them into situations by graph proximity and time, triages each situation into
 * ignore / watch / investigate / escalate with the reasons why, runs the injected investigation, escalates
 * through the connectors' notifiers, and learns from feedback. See docs/awareness.md.
 *
 * @param options - connectors, clock, store, thresholds, budgets, investigation, traffic model
 * @throws {@link InvalidInputError} for malformed options (thresholds, budgets, windows).
 */
export function createAwareness(options: AwarenessOptions): Awareness {
  parseWith(numericOptionsSchema, options, 'core: awareness: options');
  const events = options.events ?? createAwarenessEmitter();
  const clock = options.clock;
  const logger = options.logger ?? silentLogger;
  const store = options.store ?? createMemoryTriageStore();
  const thresholds = resolveTriageThresholds(options.thresholds);
  const budgets = resolveDecisionBudgets(options.budgets);
  const resources = resolveSaturationResources(options.resources);
  const patterns = resolveFailurePatterns(options.patterns);
  const windowMs = options.windowMs ?? 30 * minute;
  const hops = options.hops ?? 2;
  const lookbackMs = options.lookbackMs ?? hour;
  const horizonMs = options.horizonMs ?? 24 * hour;
  const retentionMs = options.retentionMs ?? 24 * hour;
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;
  const symptomTiming = { ...defaultSymptomTiming, ...options.symptomTiming };
  const ledger = new SignalLedger(windowMs);
  const book = new SituationBook(windowMs, hops);
  const reports = new Map<string, Report>();
  const responding = new Map<string, Promise<unknown>>();
  let intake: Promise<unknown> = Promise.resolve();
  let lastPollEnd: number | undefined;

  const fail = (stage: AwarenessStage, error: unknown, situation?: string) => {
    const typed = AisreError.isInstance(error)
      ? error
      : new AisreError('internal', `core: awareness: ${stage} failed: ${describeFailure(error)}`, {
          cause: error,
        });
    logger.warn(typed.message, { stage, ...(situation ? { situation } : {}) });
    events.emit('awareness:failed', { stage, error: typed, ...(situation ? { situation } : {}) });
  };
  const topology = new TopologyCache({
    connectors: options.connectors,
    clock,
    logger,
    callTimeoutMs,
    refreshMs: options.topologyRefreshMs ?? 15 * minute,
    onFailure: (error) => fail('topology', error),
  });
  const stateOf = (reference: Situation | string): SituationState => {
    const id = typeof reference === 'string' ? reference : reference.id;
    const state = book.state(id);
    if (!state)
      throw new AisreError(
        'not-found',
        `core: awareness: no situation "${id}": it was never opened here or is older than the retention (${retentionMs} ms)`,
      );
    return state;
  };

  async function ingestOne(input: unknown): Promise<IngestResult> {
    let signal: Signal;
    try {
      signal = parseWith(signalSchema, input, 'core: awareness: signal') as Signal;
    } catch (error) {
      const invalid = InvalidInputError.isInstance(error)
        ? error
        : new InvalidInputError(`core: awareness: signal is invalid: ${describeFailure(error)}`, {
            cause: error,
          });
      events.emit('signal:rejected', { error: invalid, input });
      return { status: 'rejected', error: invalid };
    }
    const fingerprint = fingerprintOf(signal);
    events.emit('signal:received', { signal, fingerprint });
    const { proximity } = await topology.current();
    const kept = book.prune(clock.now() - retentionMs);
    ledger.retain(kept);
    for (const id of reports.keys()) if (!kept.has(id)) reports.delete(id);

    const verdict = ledger.observe(signal, fingerprint);
    if (verdict.kind !== 'new') {
      const state = book.redeliver(verdict.entry.situationId, signal, fingerprint, verdict.kind);
      if (state) {
        const situation = book.snapshot(state);
        events.emit('signal:deduplicated', {
          signal,
          fingerprint,
          delivery: verdict.kind,
          deliveries: verdict.entry.deliveries,
          flaps: verdict.entry.flaps,
          situation: situation.id,
        });
        if (verdict.kind !== 'redelivery')
          events.emit('situation:updated', { situation, signal, absorbed: [] });
        return { status: 'deduplicated', signal, fingerprint, delivery: verdict.kind, situation };
      }
    }
    const placement = book.place(signal, fingerprint, proximity);
    ledger.open(signal, fingerprint, placement.state.id);
    for (const absorbed of placement.absorbed) ledger.move(absorbed, placement.state.id);
    const situation = book.snapshot(placement.state);
    if (placement.opened) events.emit('situation:opened', { situation, signal });
    else events.emit('situation:updated', { situation, signal, absorbed: placement.absorbed });
    return { status: 'accepted', signal, fingerprint, situation };
  }

  const awareness: Awareness = {
    events,

    ingest(input) {
      const run = intake.then(() => ingestOne(input));
      intake = run.catch(() => undefined);
      return run;
    },

    async poll(window = {}) {
      const end = window.end ?? clock.now();
      const start = window.start ?? lastPollEnd ?? end - windowMs;
      lastPollEnd = end;
      const listed: unknown[] = [];
      for (const connector of options.connectors) {
        const signals = connector.capabilities.signals;
        if (!signals) continue;
        const what = `core: awareness: ${connector.name} signals`;
        try {
          const items = await callWithTimeout(
            (abort) => signals.list({ start, end }, { signal: abort, logger, clock }),
            callTimeoutMs,
            what,
          );
          if (!Array.isArray(items)) throw new InvalidInputError(`${what}: expected a list of signals`);
          listed.push(...items);
        } catch (error) {
          fail('intake', error);
        }
      }
      const timeOf = (item: unknown) => {
        const at = (item as { at?: unknown } | null)?.at;
        return typeof at === 'string' ? Date.parse(at) || 0 : 0;
      };
      listed.sort((a, b) => timeOf(a) - timeOf(b));
      const results: IngestResult[] = [];
      for (const item of listed) results.push(await awareness.ingest(item));
      return results;
    },

    start(startOptions = {}) {
      const stops: (() => void)[] = [];
      for (const connector of options.connectors) {
        const signals = connector.capabilities.signals;
        if (!signals?.subscribe) continue;
        stops.push(
          signals.subscribe(
            (signal) => {
              awareness.handle(signal).catch((error: unknown) => fail('intake', error));
            },
            startOptions.signal ? { signal: startOptions.signal } : {},
          ),
        );
      }
      return () => {
        for (const stop of stops.splice(0)) stop();
      };
    },

    async triage(reference) {
      const state = stateOf(reference);
      const system = await topology.current();
      const now = clock.now();
      const reader = new TelemetryReader(
        options.connectors,
        (signal) => ({ signal, logger, clock }),
        callTimeoutMs,
        logger,
      );
      const changeSignals = book
        .states()
        .flatMap((one) => [...one.signals.values()])
        .filter((signal) => signal.kind === 'deploy' || signal.kind === 'change');
      const result = await triageSituation(book.snapshot(state), {
        ...system,
        reader,
        store,
        thresholds,
        budgets,
        budgetTable: options.budgetTable ?? defaultBudgetsBySeverity,
        resources,
        patterns,
        ...(options.trafficModel ? { trafficModel: options.trafficModel } : {}),
        ...(options.pastIncidents ? { pastIncidents: options.pastIncidents } : {}),
        changeSignals,
        now,
        lookbackMs,
        horizonMs,
        hops,
        symptomTiming,
      });
      state.triage = result;
      const situation = book.snapshot(state);
      try {
        const previous = await store.readSituation(state.id);
        await store.writeSituation({
          id: state.id,
          patterns: patternsOf(situation),
          decision: result.decision,
          score: result.score,
          decidedAt: result.decidedAt,
          ...(previous?.outcome ? { outcome: previous.outcome } : {}),
        });
      } catch (error) {
        result.unchecked.push(`triage record: ${describeFailure(error)}`);
        fail('triage', error, state.id);
      }
      events.emit('triage:decided', { situation, result });
      return result;
    },

    async escalate(reference, report, proposals) {
      const state = stateOf(reference);
      const triage = state.triage ?? (await awareness.triage(state.id));
      const notification = formatEscalation(book.snapshot(state), triage, report, proposals);
      const deliveries: EscalationDelivery[] = [];
      for (const connector of options.connectors) {
        const notifier = connector.capabilities.notifier;
        if (!notifier) continue;
        const what = `core: awareness: ${connector.name} notifier`;
        try {
          const answer = await callWithTimeout(
            (signal) => notifier.notify(notification, { signal, logger, clock }),
            callTimeoutMs,
            what,
          );
          deliveries.push({
            connector: connector.name,
            delivered: answer.delivered === true,
            ...(typeof answer.id === 'string' ? { id: answer.id } : {}),
          });
        } catch (error) {
          const typed = AisreError.isInstance(error)
            ? error
            : new AisreError('connector', `${what} failed: ${describeFailure(error)}`, { cause: error });
          deliveries.push({ connector: connector.name, delivered: false, error: typed });
          fail('escalation', typed, state.id);
        }
      }
      if (deliveries.length === 0)
        fail(
          'escalation',
          new AisreError(
            'not-found',
            'core: awareness: no connector has a notifier: add one to deliver escalations',
          ),
          state.id,
        );
      if (deliveries.some((delivery) => delivery.delivered)) state.escalatedAt = clock.now();
      if (deliveries.length > 0)
        events.emit('escalation:sent', { situation: book.snapshot(state), notification, deliveries });
      return { notification, deliveries };
    },

    respond(reference) {
      let id: string;
      try {
        id = stateOf(reference).id;
      } catch (error) {
        return Promise.reject(error);
      }
      const run = (responding.get(id) ?? Promise.resolve()).then(() => respondOnce(id));
      responding.set(
        id,
        run.catch(() => undefined),
      );
      return run;
    },

    async handle(input) {
      const ingest = await awareness.ingest(input);
      if (
        ingest.status === 'rejected' ||
        (ingest.status === 'deduplicated' && ingest.delivery === 'redelivery')
      )
        return { ingest };
      try {
        return { ingest, response: await awareness.respond(ingest.situation.id) };
      } catch (error) {
        fail('triage', error, ingest.situation.id);
        return { ingest };
      }
    },

    async feedback(situationId, outcome) {
      const parsed = parseWith(
        outcomeSchema,
        outcome,
        'core: awareness: feedback outcome',
      ) as FeedbackOutcome;
      const state = book.state(situationId);
      const { id, patterns: changed } = await recordFeedback({
        store,
        situationId: state?.id ?? situationId,
        ...(state ? { situation: book.snapshot(state) } : {}),
        outcome: parsed,
        at: new Date(clock.now()).toISOString(),
      });
      events.emit('feedback:recorded', { situation: id, outcome: parsed, patterns: changed });
      return changed;
    },

    situation(id) {
      const state = book.state(id);
      return state ? book.snapshot(state) : undefined;
    },

    situations() {
      return book.states().map((state) => book.snapshot(state));
    },

    async refreshTopology() {
      return (await topology.refresh()).map;
    },
  };

  async function respondOnce(id: string): Promise<ResponseResult> {
    const triage = await awareness.triage(id);
    const state = stateOf(id);
    let report = reports.get(state.id);
    const wantsInvestigation = triage.decision === 'investigate' || triage.decision === 'escalate';
    if (!report && wantsInvestigation && options.investigate && triage.budget) {
      try {
        report = await options.investigate(book.snapshot(state).primary, triage.budget);
        reports.set(state.id, report);
      } catch (error) {
        fail('investigation', error, state.id);
      }
    }
    // With a report, the investigation confirms the escalation or sends it back (and a finding behind a P1 or
    // P2 escalates an investigate); without one (no investigator, or it failed) triage's decision stands.
    const revised = report
      ? reviseDecisionAfterInvestigation(triage.decision, report, triage)
      : { decision: triage.decision, reason: 'not investigated' };
    const escalation =
      revised.decision === 'escalate' && state.escalatedAt === undefined
        ? await awareness.escalate(state.id, report)
        : undefined;
    return {
      triage,
      decision: revised,
      ...(report ? { report } : {}),
      ...(escalation ? { escalation } : {}),
    };
  }

  return awareness;
}
