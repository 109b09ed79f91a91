import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget';
import { type Connector, capabilityNames, topologySnapshotSchema } from '../contracts/connector';
import type { EntityRef } from '../contracts/entity-ref';
import { actuationResultSchema, type RemediationAction } from '../contracts/remediation';
import { signalSchema } from '../contracts/signal';
import {
  callStatsSchema,
  changeEventSchema,
  logRecordSchema,
  metricDescriptorSchema,
  metricSeriesSchema,
  spanSchema,
} from '../contracts/telemetry';
import type { CallContext } from '../contracts/tool';
import { AisreError, CancelledError, InvalidInputError } from '../errors/aisre-error';
import { createCallContext, createManualClock } from '../runtime/call-context';

/** Options of {@link describeConnectorConformance}. */
export interface ConnectorConformanceOptions {
  /** The connector's name in test titles (defaults to the connector's own name). */
  name?: string;
  /** Creates a fresh connector for each test. */
  create: () => Connector | Promise<Connector>;
  /** The time window that has data, epoch milliseconds. */
  window: { start: number; end: number };
  /** The clock the connector answers on (defaults to a manual clock at `window.end`). */
  now?: number;
  /** An entity that has telemetry, used for entity-scoped queries. */
  entity?: EntityRef;
  /** An action the connector's actuator supports, to dry-run (absent: only unsupported actions are tried). */
  actuatorAction?: RemediationAction;
}

function contextFor(options: ConnectorConformanceOptions, signal?: AbortSignal): CallContext {
  return createCallContext({
    clock: createManualClock(options.now ?? options.window.end),
    ...(signal ? { signal } : {}),
  });
}

function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort();
  return controller.signal;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

async function expectTypedRejection(
  promise: Promise<unknown>,
  check: (error: unknown) => boolean,
  what: string,
) {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `${what}: expected a rejection`).toBeDefined();
  expect(check(caught), `${what}: expected a typed error, got ${String(caught)}`).toBe(true);
}

/**
 * Registers the connector conformance suite with vitest. Every connector package runs it from its own
 * tests: `describeConnectorConformance({ create: () => createMyConnector(), window })`.
 *
 * It checks the shape of the connector and its tools, that every capability it has returns values matching
 * the contract schemas, that an aborted signal rejects with {@link CancelledError}, that bad input rejects
 * with {@link InvalidInputError}, and that inputs are not mutated.
 *
 * @param options - how to create the connector and which window has data
 */
export function describeConnectorConformance(options: ConnectorConformanceOptions): void {
  describe(`connector conformance: ${options.name ?? 'connector'}`, () => {
    it('has a name, well-formed tools and only known capabilities', async () => {
      const connector = await options.create();
      expect(typeof connector.name).toBe('string');
      expect(connector.name.length).toBeGreaterThan(0);
      const names = new Set<string>();
      for (const tool of connector.tools) {
        expect(tool.name, 'tool names are snake_case').toMatch(/^[a-z][a-z0-9_]*$/);
        expect(names.has(tool.name), `duplicate tool ${tool.name}`).toBe(false);
        names.add(tool.name);
        expect(tool.description.length, `${tool.name} needs a description`).toBeGreaterThan(10);
        expect(typeof tool.input.safeParse).toBe('function');
        expect(typeof tool.run).toBe('function');
      }
      for (const key of Object.keys(connector.capabilities)) {
        expect(capabilityNames as readonly string[]).toContain(key);
      }
      const methods: Record<string, string[]> = {
        metrics: ['list', 'range'],
        logs: ['search'],
        traces: ['spans', 'callStats'],
        changes: ['list'],
        topology: ['scan'],
        actuator: ['supports', 'apply'],
        notifier: ['notify'],
        signals: ['list'],
      };
      for (const [capability, implementation] of Object.entries(connector.capabilities)) {
        for (const method of methods[capability] ?? []) {
          expect(typeof (implementation as Record<string, unknown>)[method], `${capability}.${method}`).toBe(
            'function',
          );
        }
      }
    });

    it('returns values that match the contract schemas', async () => {
      const connector = await options.create();
      const { metrics, logs, traces, changes, topology, signals } = connector.capabilities;
      const context = contextFor(options);
      const window = deepFreeze({ ...options.window, ...(options.entity ? { entity: options.entity } : {}) });
      if (metrics) {
        const descriptors = await metrics.list(
          deepFreeze(options.entity ? { entity: options.entity } : {}),
          context,
        );
        for (const descriptor of descriptors) metricDescriptorSchema.parse(descriptor);
        const first = descriptors[0];
        if (first) {
          const series = await metrics.range(
            deepFreeze({
              metric: first.name,
              entity: first.entity,
              start: options.window.start,
              end: options.window.end,
            }),
            context,
          );
          for (const one of series) {
            metricSeriesSchema.parse(one);
            for (const [at] of one.points) expect(at).toBeLessThanOrEqual(options.now ?? options.window.end);
          }
        }
      }
      if (logs) for (const record of await logs.search(window, context)) logRecordSchema.parse(record);
      if (traces) {
        for (const span of await traces.spans({ ...window, limit: 50 }, context)) spanSchema.parse(span);
        for (const stats of await traces.callStats(window, context)) callStatsSchema.parse(stats);
      }
      if (changes) for (const change of await changes.list(window, context)) changeEventSchema.parse(change);
      if (topology) topologySnapshotSchema.parse(await topology.scan(context));
      if (signals) for (const signal of await signals.list(window, context)) signalSchema.parse(signal);
    });

    it('rejects with a CancelledError when the signal is already aborted', async () => {
      const connector = await options.create();
      const { metrics, logs, traces, changes, topology, signals } = connector.capabilities;
      const context = contextFor(options, abortedSignal());
      const isCancelled = (error: unknown) => CancelledError.isInstance(error);
      const window = { ...options.window };
      if (metrics) await expectTypedRejection(metrics.list({}, context), isCancelled, 'metrics.list');
      if (metrics)
        await expectTypedRejection(
          metrics.range({ metric: 'any', ...window }, context),
          isCancelled,
          'metrics.range',
        );
      if (logs) await expectTypedRejection(logs.search(window, context), isCancelled, 'logs.search');
      if (traces) await expectTypedRejection(traces.spans(window, context), isCancelled, 'traces.spans');
      if (traces)
        await expectTypedRejection(traces.callStats(window, context), isCancelled, 'traces.callStats');
      if (changes) await expectTypedRejection(changes.list(window, context), isCancelled, 'changes.list');
      if (topology) await expectTypedRejection(topology.scan(context), isCancelled, 'topology.scan');
      if (signals) await expectTypedRejection(signals.list(window, context), isCancelled, 'signals.list');
      for (const tool of connector.tools) {
        const budget = createBudget(
          { wallTimeMs: 60_000, toolCalls: 10, modelTokens: 0, costUsd: 0 },
          context.clock,
        );
        const sample = tool.input.safeParse({});
        if (!sample.success) continue;
        await expectTypedRejection(
          tool.run(sample.data, { ...context, budget }),
          isCancelled,
          `tool ${tool.name}`,
        );
      }
    });

    it('rejects bad input with an InvalidInputError', async () => {
      const connector = await options.create();
      const { metrics, logs, traces, changes, signals, actuator } = connector.capabilities;
      const context = contextFor(options);
      const isInvalid = (error: unknown) => InvalidInputError.isInstance(error);
      const backwards = { start: options.window.end, end: options.window.start - 1 };
      if (metrics)
        await expectTypedRejection(
          metrics.range({ metric: '', ...options.window }, context),
          isInvalid,
          'metrics.range with an empty metric',
        );
      if (metrics)
        await expectTypedRejection(
          metrics.range({ metric: 'any', ...backwards }, context),
          isInvalid,
          'metrics.range with end before start',
        );
      if (logs)
        await expectTypedRejection(
          logs.search(backwards, context),
          isInvalid,
          'logs.search with end before start',
        );
      if (traces)
        await expectTypedRejection(
          traces.callStats(backwards, context),
          isInvalid,
          'traces.callStats with end before start',
        );
      if (changes)
        await expectTypedRejection(
          changes.list(backwards, context),
          isInvalid,
          'changes.list with end before start',
        );
      if (signals)
        await expectTypedRejection(
          signals.list(backwards, context),
          isInvalid,
          'signals.list with end before start',
        );
      if (actuator) {
        const bogus = {
          type: 'no-such.action',
          target: 'service:nowhere/nothing' as EntityRef,
          parameters: {},
        };
        expect(actuator.supports(bogus)).toBe(false);
        await expectTypedRejection(
          actuator.apply(bogus, { dryRun: true }, context),
          (error) => AisreError.isInstance(error),
          'actuator.apply of an unsupported action',
        );
      }
      for (const tool of connector.tools) {
        expect(tool.input.safeParse(Symbol('not an input')).success, `${tool.name} accepts anything`).toBe(
          false,
        );
      }
    });

    if (options.actuatorAction) {
      const action = options.actuatorAction;
      it('dry-runs a supported action without applying it', async () => {
        const connector = await options.create();
        const actuator = connector.capabilities.actuator;
        expect(actuator, 'actuatorAction given but the connector has no actuator').toBeDefined();
        if (!actuator) return;
        expect(actuator.supports(action)).toBe(true);
        const result = actuationResultSchema.parse(
          await actuator.apply(deepFreeze(structuredClone(action)), { dryRun: true }, contextFor(options)),
        );
        expect(result.dryRun).toBe(true);
        expect(result.applied).toBe(false);
      });
    }
  });
}
