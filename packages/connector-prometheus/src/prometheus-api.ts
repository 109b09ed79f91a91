import type { CallContext } from '@aisre/core';
import type { z } from 'zod';
import { getApiData, type PrometheusHttpSettings } from './prometheus-http';
import {
  alertsDataSchema,
  instantQueryDataSchema,
  metadataDataSchema,
  rangeQueryDataSchema,
  rulesDataSchema,
  seriesDataSchema,
  stringListDataSchema,
  targetsDataSchema,
} from './prometheus-responses';
import { apiTime } from './promql';

/** Who asks, for error messages, and whether the PromQL came from a user or a model. */
export interface ApiCaller {
  /** `metrics.range`, `tool prometheus_query`, … */
  operation: string;
  /** True when the PromQL is the caller's own (a 400 is then their bad input). */
  userQuery?: boolean;
}

/** `match[]` for each matcher, then the window's `start` and `end`. */
function matchWindow(matchers: string[], window: { start: number; end: number }): [string, string][] {
  return [
    ...matchers.map((matcher): [string, string] => ['match[]', matcher]),
    ['start', apiTime(window.start)],
    ['end', apiTime(window.end)],
  ];
}

/** The endpoints of the Prometheus HTTP API the connector calls, each answer validated. */
export class PrometheusApi {
  readonly #settings: PrometheusHttpSettings;

  /** @param settings - base URL, auth headers, timeout and retries */
  constructor(settings: PrometheusHttpSettings) {
    this.#settings = settings;
  }

  /** The API root, without credentials. */
  get baseURL(): string {
    return this.#settings.baseURL;
  }

  #get<Schema extends z.ZodType>(
    path: string,
    params: [string, string][],
    schema: Schema,
    caller: ApiCaller,
    context: CallContext,
  ): Promise<z.output<Schema>> {
    return getApiData(this.#settings, { path, params, ...caller }, schema, context);
  }

  /** `GET /api/v1/query`: an instant query at `time` (epoch ms). */
  query(expression: string, time: number, caller: ApiCaller, context: CallContext) {
    const params: [string, string][] = [
      ['query', expression],
      ['time', apiTime(time)],
    ];
    return this.#get('/api/v1/query', params, instantQueryDataSchema, caller, context);
  }

  /** `GET /api/v1/query_range` from `start` to `end` (epoch ms) every `stepMs`. */
  queryRange(
    expression: string,
    window: { start: number; end: number; stepMs: number },
    caller: ApiCaller,
    context: CallContext,
  ) {
    const params: [string, string][] = [
      ['query', expression],
      ['start', apiTime(window.start)],
      ['end', apiTime(window.end)],
      ['step', apiTime(window.stepMs)],
    ];
    return this.#get('/api/v1/query_range', params, rangeQueryDataSchema, caller, context);
  }

  /** `GET /api/v1/series`: the label sets of the series matching any of `matchers` in the window. */
  series(
    matchers: string[],
    window: { start: number; end: number },
    caller: ApiCaller,
    context: CallContext,
  ) {
    return this.#get('/api/v1/series', matchWindow(matchers, window), seriesDataSchema, caller, context);
  }

  /** `GET /api/v1/label/NAME/values`, optionally only of the series matching `matchers`, in the window. */
  labelValues(
    label: string,
    matchers: string[],
    window: { start: number; end: number },
    caller: ApiCaller,
    context: CallContext,
  ) {
    const path = `/api/v1/label/${encodeURIComponent(label)}/values`;
    return this.#get(path, matchWindow(matchers, window), stringListDataSchema, caller, context);
  }

  /** `GET /api/v1/metadata`: type, help and unit per metric (of one metric when `metric` is given). */
  metadata(metric: string | undefined, caller: ApiCaller, context: CallContext) {
    return this.#get(
      '/api/v1/metadata',
      metric ? [['metric', metric]] : [],
      metadataDataSchema,
      caller,
      context,
    );
  }

  /** `GET /api/v1/alerts`: the alerts pending or firing now. */
  alerts(caller: ApiCaller, context: CallContext) {
    return this.#get('/api/v1/alerts', [], alertsDataSchema, caller, context);
  }

  /** `GET /api/v1/rules`: rule groups (only alerting rules when `type` is `alert`). */
  rules(type: 'alert' | 'record' | undefined, caller: ApiCaller, context: CallContext) {
    return this.#get('/api/v1/rules', type ? [['type', type]] : [], rulesDataSchema, caller, context);
  }

  /** `GET /api/v1/targets?state=active`: the scrape targets and their health. */
  targets(caller: ApiCaller, context: CallContext) {
    return this.#get('/api/v1/targets', [['state', 'active']], targetsDataSchema, caller, context);
  }
}
