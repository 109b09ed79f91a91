import pLimit from 'p-limit';
import { z } from 'zod';
import type { Logger } from '../contracts/common';
import type { Connector } from '../contracts/connector';
import {
  type ChangeEvent,
  changeEventSchema,
  type MetricRangeQuery,
  type MetricSeries,
  metricSeriesSchema,
} from '../contracts/telemetry';
import type { CallContext } from '../contracts/tool';
import { CancelledError } from '../errors/aisre-error';
import { parseWith } from '../errors/zod-issues';

const seriesListSchema = z.array(metricSeriesSchema);
const changeListSchema = z.array(changeEventSchema);

/**
 * Calls `run` with an abort signal that fires after `timeoutMs`; rejects with a timeout
 * {@link CancelledError} when the call does not settle in time, even if it ignores the signal.
 */
export async function callWithTimeout<Result>(
  run: (signal: AbortSignal) => Promise<Result>,
  timeoutMs: number,
  what: string,
): Promise<Result> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new CancelledError(`${what}: timed out after ${timeoutMs} ms`, { timeout: true });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Describes a failure in a few words for `unchecked` lists. */
export function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads telemetry for one triage: every call time-limited and validated, failures noted, never thrown. */
export class TelemetryReader {
  readonly #connectors: readonly Connector[];
  readonly #context: (signal: AbortSignal) => CallContext;
  readonly #timeoutMs: number;
  readonly #limit = pLimit(4);
  readonly #unchecked = new Set<string>();
  readonly #logger: Logger;

  constructor(
    connectors: readonly Connector[],
    context: (signal: AbortSignal) => CallContext,
    timeoutMs: number,
    logger: Logger,
  ) {
    this.#connectors = connectors;
    this.#context = context;
    this.#timeoutMs = timeoutMs;
    this.#logger = logger;
  }

  /** What could not be read, and why. */
  unchecked(): string[] {
    return [...this.#unchecked];
  }

  /** True when some connector serves metrics. */
  hasMetrics(): boolean {
    return this.#connectors.some((connector) => connector.capabilities.metrics);
  }

  /** The series of a metric from every connector with metrics (empty when none has it), of the queried entity only. */
  async series(query: MetricRangeQuery): Promise<MetricSeries[]> {
    const results = await Promise.all(
      this.#connectors.map((connector) => {
        const metrics = connector.capabilities.metrics;
        if (!metrics) return [];
        const what = `core: awareness: ${connector.name} metric ${query.metric}`;
        return this.#limit(async () => {
          try {
            const raw = await callWithTimeout(
              (signal) => metrics.range(query, this.#context(signal)),
              this.#timeoutMs,
              what,
            );
            const series = parseWith(seriesListSchema, raw, what) as MetricSeries[];
            return query.entity ? series.filter((one) => one.entity === query.entity) : series;
          } catch (error) {
            this.#note(`${query.metric}${query.entity ? ` of ${query.entity}` : ''}`, connector.name, error);
            return [];
          }
        });
      }),
    );
    return results.flat();
  }

  /** Changes in a window from every connector with changes, oldest first. */
  async changes(start: number, end: number): Promise<ChangeEvent[]> {
    const results = await Promise.all(
      this.#connectors.map(async (connector) => {
        const changes = connector.capabilities.changes;
        if (!changes) return [];
        const what = `core: awareness: ${connector.name} changes`;
        try {
          const raw = await callWithTimeout(
            (signal) => changes.list({ start, end }, this.#context(signal)),
            this.#timeoutMs,
            what,
          );
          return parseWith(changeListSchema, raw, what) as ChangeEvent[];
        } catch (error) {
          this.#note('recent changes', connector.name, error);
          return [];
        }
      }),
    );
    return results.flat().sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1));
  }

  #note(what: string, connector: string, error: unknown): void {
    const message = `${what} (${connector}): ${describeFailure(error)}`;
    this.#logger.warn(`core: awareness: could not read ${message}`);
    this.#unchecked.add(message);
  }
}
