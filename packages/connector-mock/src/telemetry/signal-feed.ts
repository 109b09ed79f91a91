import type { EntityRef, Severity, Signal } from '@aisre/core';
import { formatIsoTime } from '../scenario/duration';
import { numberParameter, textParameter } from '../scenario/scenario-parameters';
import type { Simulation } from '../simulation/simulation';
import type { ModelEntity, SystemModel } from '../simulation/system-model';
import { eventId } from './change-events';

function alertSignal(
  entity: ModelEntity,
  namespace: string,
  alert: string,
  severity: Severity,
  atMs: number,
  status: 'firing' | 'resolved',
  startsAtMs: number,
): Signal {
  const fingerprint = eventId('fp', `${alert}|${entity.ref}`);
  const labels: Record<string, string> = {
    alertname: alert,
    severity,
    namespace,
    [entity.kind]: entity.name,
  };
  if (entity.team) labels.team = entity.team;
  return {
    id: eventId('alert', `${fingerprint}|${status}|${atMs}`),
    source: 'alertmanager',
    kind: 'alert',
    entity: entity.ref,
    severity,
    at: formatIsoTime(atMs),
    summary: `${alert} ${status === 'firing' ? 'firing' : 'resolved'} for ${entity.kind} ${entity.name} in ${namespace}`,
    labels,
    payload: {
      status,
      startsAt: formatIsoTime(startsAtMs),
      ...(status === 'resolved' ? { endsAt: formatIsoTime(atMs) } : {}),
      generatorURL: `http://prometheus.monitoring.svc:9090/alerts?search=${alert}`,
    },
    status,
    fingerprint,
  };
}

/** The trigger alert of a model as a firing {@link Signal}. */
export function triggerSignal(model: SystemModel): Signal {
  const index = model.byRef.get(model.trigger.entity) ?? 0;
  const entity = model.entities[index] as ModelEntity;
  return alertSignal(
    entity,
    model.namespace,
    model.trigger.alert,
    model.trigger.severity,
    model.trigger.atMs,
    'firing',
    model.trigger.atMs,
  );
}

/** Every signal of the simulated system, oldest first (not yet cut at now). */
export function allSignals(simulation: Simulation): Signal[] {
  return simulation.memo('signals', () => {
    const { model } = simulation;
    const signals: Signal[] = [triggerSignal(model)];
    for (const noise of model.noise) {
      const entity = model.entities[noise.target];
      if (!entity) continue;
      if (noise.type === 'flapping-alert') {
        const alert = textParameter(noise.params, 'alert');
        const severity = textParameter(noise.params, 'severity') as Severity;
        const periodMs = numberParameter(noise.params, 'periodMinutes') * 60_000;
        const firingMs = numberParameter(noise.params, 'firingMinutes') * 60_000;
        for (let cycle = 0; cycle < numberParameter(noise.params, 'count'); cycle++) {
          const fires = noise.atMs + cycle * periodMs;
          signals.push(alertSignal(entity, model.namespace, alert, severity, fires, 'firing', fires));
          signals.push(
            alertSignal(entity, model.namespace, alert, severity, fires + firingMs, 'resolved', fires),
          );
        }
      }
      if (noise.type === 'chat') {
        const channel = textParameter(noise.params, 'channel');
        const text = textParameter(noise.params, 'text');
        const author = textParameter(noise.params, 'author');
        signals.push({
          id: eventId('chat', `${entity.ref}|${noise.atMs}|${text}`),
          source: 'slack',
          kind: 'chat',
          entity: entity.ref,
          severity: 'P5',
          at: formatIsoTime(noise.atMs),
          summary: text,
          labels: { channel },
          payload: { channel, author, text },
        });
      }
    }
    for (const change of simulation.changes()) {
      const entity = model.entities[change.entity];
      if (!entity) continue;
      const deploy = change.kind === 'deploy' || change.kind === 'rollback';
      signals.push({
        id: eventId('change', `${change.kind}|${entity.ref}|${change.atMs}|${change.summary}`),
        source: deploy ? 'argocd' : 'kubernetes',
        kind: deploy ? 'deploy' : 'change',
        entity: entity.ref,
        severity: 'P5',
        at: formatIsoTime(change.atMs),
        summary: change.summary,
        labels: { namespace: model.namespace, [entity.kind]: entity.name },
        payload: { actor: change.actor, ...structuredClone(change.attributes) },
      });
    }
    signals.sort((left, right) =>
      left.at < right.at ? -1 : left.at > right.at ? 1 : left.id.localeCompare(right.id),
    );
    return signals;
  });
}

/** Signals in the window as of `nowMs`, oldest first. */
export function listSignals(
  simulation: Simulation,
  query: { start: number; end: number; entity?: EntityRef },
  nowMs: number,
): Signal[] {
  const end = Math.min(query.end, nowMs);
  return allSignals(simulation)
    .filter((signal) => {
      const at = Date.parse(signal.at);
      return at >= query.start && at <= end && (query.entity === undefined || signal.entity === query.entity);
    })
    .map((signal) => structuredClone(signal));
}
