import {
  type CallContext,
  type Labels,
  parseWith,
  type Signal,
  type SignalsCapability,
  throwIfAborted,
  windowQuerySchema,
} from '@aisre/core';
import { type AlertOccurrence, alertSignal } from './alert-signal';
import { labelsFingerprint } from './label-fingerprint';
import { moduleName } from './module-name';
import type { PrometheusApi } from './prometheus-api';
import type { MatrixSeries, PrometheusRule } from './prometheus-responses';
import type { PrometheusSettings } from './prometheus-settings';
import { vectorSelectors } from './promql';

/** A stretch of time an alert was firing, as the `ALERTS` series shows it. */
interface FiringRun {
  labels: Labels;
  firstMs: number;
  lastMs: number;
}

function alertLabels(series: MatrixSeries): Labels {
  const { __name__: _name, alertstate: _state, ...labels } = series.metric;
  return labels;
}

/** Splits each `ALERTS{alertstate="firing"}` series into runs: a gap of more than 1.5 steps ends a run. */
export function firingRuns(series: readonly MatrixSeries[], stepMs: number): FiringRun[] {
  const runs: FiringRun[] = [];
  for (const one of series) {
    const labels = alertLabels(one);
    let run: FiringRun | undefined;
    for (const [seconds] of one.values) {
      const at = Math.round(seconds * 1000);
      if (run && at - run.lastMs <= stepMs * 1.5) run.lastMs = at;
      else {
        run = { labels, firstMs: at, lastMs: at };
        runs.push(run);
      }
    }
  }
  return runs;
}

/** The `for` duration (ms) of each alerting rule by name, and the alerts active now by label fingerprint. */
function indexRules(groups: { rules: PrometheusRule[] }[]) {
  const holdMs = new Map<string, number>();
  const active = new Map<string, { annotations: Labels; activeAt?: string; value?: string; state: string }>();
  for (const group of groups) {
    for (const rule of group.rules) {
      if (rule.type !== 'alerting') continue;
      if (!holdMs.has(rule.name)) holdMs.set(rule.name, Math.round((rule.duration ?? 0) * 1000));
      for (const alert of rule.alerts ?? []) {
        active.set(labelsFingerprint(alert.labels), {
          annotations: alert.annotations ?? {},
          ...(alert.activeAt ? { activeAt: alert.activeAt } : {}),
          ...(alert.value ? { value: alert.value } : {}),
          state: alert.state,
        });
      }
    }
  }
  return { holdMs, active };
}

/** The value of the series with these labels at (or just before) `atMs`. */
function valueAt(series: readonly MatrixSeries[], labels: Labels, atMs: number): number | undefined {
  const key = labelsFingerprint(labels);
  const match = series.find((one) => labelsFingerprint(alertLabels(one)) === key);
  if (!match) return undefined;
  let found: number | undefined;
  for (const [seconds, value] of match.values) {
    if (seconds * 1000 > atMs) break;
    found = Number(value);
  }
  return found !== undefined && Number.isFinite(found) ? found : undefined;
}

/**
 * The `signals` capability: the alerts that were firing in the window, from the `ALERTS` series (each
 * uninterrupted stretch is one occurrence: `firing` when it lasts to the window's end, else `resolved`), their
 * start from `ALERTS_FOR_STATE` and the rules' `for`, their annotations from the rules API while they are
 * active. Signals have the same fingerprint (and, with `externalLabels`, the same labels) as Alertmanager's.
 *
 * @param api - the HTTP API
 * @param settings - mapping, limits, source name and external labels
 */
export function createSignalsCapability(api: PrometheusApi, settings: PrometheusSettings): SignalsCapability {
  async function optional<T>(
    read: () => Promise<T>,
    what: string,
    context: CallContext,
  ): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      throwIfAborted(context.signal, `${moduleName}: signals.list`);
      context.logger.debug(`${moduleName}: signals.list: ${what} unavailable`, { error: String(error) });
      return undefined;
    }
  }

  return {
    async list(query, context) {
      throwIfAborted(context.signal, `${moduleName}: signals.list`);
      const valid = parseWith(windowQuerySchema, query, `${moduleName}: signals.list query`);
      const now = context.clock.now();
      const end = Math.min(valid.end, now);
      if (end < valid.start) return [];
      const stepMs = Math.max(
        Math.ceil((end - valid.start) / (settings.maxPoints - 1)),
        settings.scrapeIntervalMs,
        1,
      );
      const entitySelectors = valid.entity ? settings.entities.selectorsOf(valid.entity) : undefined;
      const firing = vectorSelectors('ALERTS', { alertstate: 'firing' }, entitySelectors).join(' or ');
      const forState = vectorSelectors('ALERTS_FOR_STATE', {}, entitySelectors).join(' or ');
      const window = { start: valid.start, end, stepMs };
      const [alerts, states, rules] = await Promise.all([
        api.queryRange(firing, window, { operation: 'signals.list' }, context),
        optional(
          () => api.queryRange(forState, window, { operation: 'signals.list ALERTS_FOR_STATE' }, context),
          'ALERTS_FOR_STATE',
          context,
        ),
        optional(
          () => api.rules('alert', { operation: 'signals.list rules' }, context),
          'the rules API',
          context,
        ),
      ]);
      const { holdMs, active } = indexRules(rules?.groups ?? []);
      const ongoingAfter = end - stepMs * 1.5;
      const signals = new Map<string, Signal>();
      for (const run of firingRuns(alerts.result, stepMs)) {
        const alertname = run.labels.alertname ?? '';
        const current = active.get(labelsFingerprint(run.labels));
        const ongoing = run.lastMs >= ongoingAfter;
        const activeAtSeconds =
          (current?.activeAt && ongoing ? Date.parse(current.activeAt) / 1000 : undefined) ??
          valueAt(states?.result ?? [], run.labels, run.firstMs);
        const hold = holdMs.get(alertname);
        const computed =
          activeAtSeconds !== undefined && hold !== undefined
            ? Math.round(activeAtSeconds * 1000) + hold
            : undefined;
        // A start computed later than the first firing sample would be wrong: keep the sample then.
        const startsAt = computed !== undefined && computed <= run.firstMs + stepMs ? computed : run.firstMs;
        const labels = { ...run.labels, ...settings.externalLabels };
        const occurrence: AlertOccurrence = {
          labels,
          annotations: ongoing ? (current?.annotations ?? {}) : {},
          startsAt,
          status: ongoing ? 'firing' : 'resolved',
          payload: {
            firingSeenFrom: new Date(run.firstMs).toISOString(),
            firingSeenUntil: new Date(run.lastMs).toISOString(),
            ...(ongoing && current?.value ? { value: current.value } : {}),
          },
        };
        const signal = alertSignal(occurrence, settings.name, settings);
        if (!signal || (valid.entity && signal.entity !== valid.entity)) continue;
        signals.set(signal.id, signal);
      }
      return [...signals.values()].sort(
        (left, right) => Date.parse(left.at) - Date.parse(right.at) || (left.id < right.id ? -1 : 1),
      );
    },
  };
}
