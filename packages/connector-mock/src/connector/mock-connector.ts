import {
  type ActuationResult,
  type ActuatorCapability,
  type ConnectorCapabilities,
  InvalidInputError,
  type Notification,
  type RemediationAction,
  remediationActionSchema,
  type Signal,
  throwIfAborted,
} from '@aisre/core';
import { formatIsoTime, parseIsoTime } from '../scenario/duration';
import { parseScenario } from '../scenario/parse-scenario';
import { Simulation } from '../simulation/simulation';
import { buildSystemModel } from '../simulation/system-model';
import { listChanges } from '../telemetry/change-events';
import { searchLogs } from '../telemetry/log-generator';
import { listMetrics, rangeQuery } from '../telemetry/metric-query';
import { allSignals, listSignals } from '../telemetry/signal-feed';
import { topologySnapshot } from '../telemetry/topology-snapshot';
import { queryCallStats, querySpans } from '../telemetry/trace-generator';
import type {
  AppliedAction,
  MockConnector,
  MockConnectorOptions,
  RecordedNotification,
  Scenario,
} from '../types';
import { actionType } from './action-catalogue';
import { planIntervention } from './intervention-plan';
import { createMockTools } from './mock-tools';
import {
  logQuerySchema,
  metricListQuerySchema,
  rangeQuerySchema,
  spanQuerySchema,
  validateQuery,
  windowQuerySchema,
} from './query-validation';

function invalid(message: string, path: (string | number)[]): InvalidInputError {
  return new InvalidInputError(`connector-mock: ${message}`, { issues: [{ path, message }] });
}

function resolveNow(option: number | string | undefined, fallback: number): number {
  if (option === undefined) return fallback;
  const value = typeof option === 'number' ? option : parseIsoTime(option);
  if (value === undefined || !Number.isFinite(value))
    throw invalid('options.now must be epoch milliseconds or an ISO time', ['now']);
  return value;
}

/**
 * Creates a mock connector over a simulated system. It exposes what real telemetry would (metrics, logs,
 * traces, changes, topology, alerts) as of its clock, never the scenario's faults or expectations; its
 * actuator records actions and, when an action would really end an active fault, ends its effects from
 * then on; its notifier records notifications.
 *
 * @param scenario - a scenario (validated again here)
 * @param options - the starting clock (default: the trigger time) and the environment name
 * @throws InvalidInputError when the scenario or the options are invalid
 */
export function createMockConnector(scenario: Scenario, options: MockConnectorOptions = {}): MockConnector {
  const validated = parseScenario(structuredClone(scenario));
  const model = buildSystemModel(validated);
  const environment = options.environment ?? 'production';
  let simulation = new Simulation(model);
  let now = resolveNow(options.now, model.trigger.atMs);
  const applied: AppliedAction[] = [];
  const received: RecordedNotification[] = [];
  const listeners = new Set<(signal: Signal) => void>();
  const delivered = new Set<string>();
  const markDelivered = () => {
    for (const signal of allSignals(simulation)) if (Date.parse(signal.at) <= now) delivered.add(signal.id);
  };
  markDelivered();
  const deliver = () => {
    const fresh = allSignals(simulation).filter(
      (signal) => Date.parse(signal.at) <= now && !delivered.has(signal.id),
    );
    for (const signal of fresh) {
      delivered.add(signal.id);
      for (const listener of [...listeners]) listener(structuredClone(signal));
    }
  };
  const state = { simulation: () => simulation, now: () => now, environment };
  const check = (signal: AbortSignal, operation: string) =>
    throwIfAborted(signal, `connector-mock: ${operation}`);

  const resolveAction = (action: RemediationAction) => {
    const parsed = remediationActionSchema.safeParse(action);
    if (!parsed.success) return undefined;
    const type = actionType(action.type);
    const target = model.byRef.get(action.target);
    const entity = target === undefined ? undefined : model.entities[target];
    if (!type || !entity || !type.kinds.includes(entity.kind)) return undefined;
    return { type, target: entity.index };
  };

  const actuator: ActuatorCapability = {
    supports: (action) => resolveAction(action) !== undefined,
    async apply(action, applyOptions, context): Promise<ActuationResult> {
      check(context.signal, 'actuator.apply');
      const resolved = resolveAction(action);
      if (!resolved) {
        throw invalid(
          `cannot apply ${String(action?.type)} to ${String(action?.target)}: not a supported action type for an entity of this system`,
          ['type'],
        );
      }
      const parameters = resolved.type.parameters.safeParse(action.parameters);
      if (!parameters.success) {
        const issue = parameters.error.issues[0];
        const path =
          issue?.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)) ?? [];
        throw invalid(
          `${action.type}: parameters${path.map((segment) => `.${segment}`).join('')}: ${issue?.message ?? 'invalid'}`,
          ['parameters', ...path],
        );
      }
      const plan = planIntervention(simulation, structuredClone(action), resolved.target, now);
      if (applyOptions.dryRun) {
        return {
          applied: false,
          dryRun: true,
          summary: `would apply ${plan.summary}`,
          details: plan.details,
        };
      }
      simulation = simulation.withIntervention(plan.intervention);
      applied.push({
        action: structuredClone(action),
        atMs: now,
        at: formatIsoTime(now),
        summary: plan.summary,
        details: plan.details,
      });
      deliver();
      return { applied: true, dryRun: false, summary: `applied ${plan.summary}`, details: plan.details };
    },
  };

  const capabilities: ConnectorCapabilities = {
    metrics: {
      async list(query, context) {
        check(context.signal, 'metrics.list');
        const valid = validateQuery(metricListQuerySchema, query, 'metrics.list');
        return listMetrics(simulation, valid.entity);
      },
      async range(query, context) {
        check(context.signal, 'metrics.range');
        return rangeQuery(simulation, validateQuery(rangeQuerySchema, query, 'metrics.range'), now);
      },
    },
    logs: {
      async search(query, context) {
        check(context.signal, 'logs.search');
        return searchLogs(simulation, validateQuery(logQuerySchema, query, 'logs.search'), now);
      },
    },
    traces: {
      async spans(query, context) {
        check(context.signal, 'traces.spans');
        return querySpans(simulation, validateQuery(spanQuerySchema, query, 'traces.spans'), now);
      },
      async callStats(query, context) {
        check(context.signal, 'traces.callStats');
        return queryCallStats(simulation, validateQuery(windowQuerySchema, query, 'traces.callStats'), now);
      },
    },
    changes: {
      async list(query, context) {
        check(context.signal, 'changes.list');
        return listChanges(simulation, validateQuery(windowQuerySchema, query, 'changes.list'), now);
      },
    },
    topology: {
      async scan(context) {
        check(context.signal, 'topology.scan');
        return topologySnapshot(simulation, now, environment);
      },
    },
    signals: {
      async list(query, context) {
        check(context.signal, 'signals.list');
        return listSignals(simulation, validateQuery(windowQuerySchema, query, 'signals.list'), now);
      },
      subscribe(listener, subscribeOptions) {
        listeners.add(listener);
        const unsubscribe = () => listeners.delete(listener);
        subscribeOptions.signal?.addEventListener('abort', unsubscribe, { once: true });
        return () => {
          unsubscribe();
        };
      },
    },
    actuator,
    notifier: {
      async notify(notification: Notification, context) {
        check(context.signal, 'notifier.notify');
        const id = `notification-${received.length + 1}`;
        received.push({ id, at: formatIsoTime(now), notification: structuredClone(notification) });
        return { delivered: true, id };
      },
    },
  };

  const advanceTo = (epochMs: number) => {
    if (!Number.isFinite(epochMs) || epochMs < now) {
      throw invalid(
        `the clock only moves forward: cannot go from ${formatIsoTime(now)} to ${String(epochMs)}`,
        ['epochMs'],
      );
    }
    now = epochMs;
    deliver();
  };

  return {
    name: 'mock',
    tools: createMockTools(state),
    capabilities,
    scenarioName: validated.name,
    now: () => now,
    advanceTo,
    advanceBy(milliseconds) {
      if (!Number.isFinite(milliseconds) || milliseconds < 0) {
        throw invalid('advanceBy needs a non-negative number of milliseconds', ['milliseconds']);
      }
      advanceTo(now + milliseconds);
    },
    appliedActions: () => structuredClone(applied),
    notifications: () => structuredClone(received),
  };
}
