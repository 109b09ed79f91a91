import type { JsonValue } from '@aisre/core';
import { textParameter } from '../scenario/scenario-parameters';
import type { Intervention } from './interventions';
import type { Simulation } from './simulation';
import type { SystemChange } from './simulation-types';

const configActors = ['priya.n', 'jonas.k', 'mei.l', 'sam.o', 'config-sync'];

function bumpVersion(simulation: Simulation, version: string, key: string): string {
  const [major = 1, minor = 0, patch = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return simulation.random(`version|${key}`).next() < 0.4
    ? `${major}.${minor + 1}.0`
    : `${major}.${minor}.${patch + 1}`;
}

interface PendingDeploy {
  entity: number;
  atMs: number;
  version: string;
}

interface PendingConfig {
  entity: number;
  atMs: number;
  key: string;
}

function imageOf(simulation: Simulation, entity: number, version: string): string {
  const { model } = simulation;
  return `registry.example.com/${model.namespace}/${model.entities[entity]?.name ?? 'unknown'}:${version}`;
}

function interventionChange(
  simulation: Simulation,
  intervention: Intervention,
  versions: string[],
  lastConfigKey: string | undefined,
): SystemChange | undefined {
  const entity = simulation.model.entities[intervention.target];
  if (!entity) return undefined;
  const { action, atMs } = intervention;
  const parameters = action.parameters;
  const base = { entity: entity.index, atMs, actor: 'aisre', rollsPods: intervention.restartsPods };
  const current = versions[versions.length - 1] ?? entity.baseline.version;
  switch (action.type) {
    case 'deployment.rollback': {
      const previous = versions.length > 1 ? (versions[versions.length - 2] ?? current) : current;
      if (versions.length > 1) versions.pop();
      return {
        ...base,
        kind: 'rollback',
        summary: `Rolled back ${entity.name} ${current} -> ${previous}`,
        attributes: { from: current, to: previous, image: imageOf(simulation, entity.index, previous) },
      };
    }
    case 'deployment.restart':
      return {
        ...base,
        kind: 'deploy',
        summary: `Rollout restart of ${entity.name}`,
        attributes: { version: current, restart: true },
      };
    case 'deployment.scale':
      return {
        ...base,
        kind: 'scale',
        summary: `Scaled ${entity.name} to ${String(parameters.replicas)} replicas`,
        attributes: { replicas: parameters.replicas ?? null },
      };
    case 'deployment.set-resources':
      return {
        ...base,
        kind: 'deploy',
        summary: `Changed resources of ${entity.name}`,
        attributes: { ...parameters },
      };
    case 'config.revert':
      return {
        ...base,
        kind: 'config',
        summary: `Reverted ConfigMap ${entity.name}-config${lastConfigKey ? `: ${lastConfigKey}` : ''}`,
        attributes: {
          configMap: `${entity.name}-config`,
          keys: lastConfigKey ? [lastConfigKey] : [],
          revert: true,
        },
      };
    case 'redis.config-set':
    case 'postgres.config-set': {
      const statement =
        action.type === 'redis.config-set'
          ? `CONFIG SET ${String(parameters.parameter)} ${String(parameters.value)}`
          : `ALTER SYSTEM SET ${String(parameters.parameter)} = ${String(parameters.value)}`;
      return {
        ...base,
        kind: 'config',
        summary: `${statement} on ${entity.name}`,
        attributes: { ...parameters },
      };
    }
    case 'cronjob.suspend':
      return {
        ...base,
        kind: 'config',
        summary: `Suspended CronJob ${entity.name}`,
        attributes: { suspend: true },
      };
    case 'cronjob.reschedule':
      return {
        ...base,
        kind: 'config',
        summary: `Rescheduled CronJob ${entity.name} to "${String(parameters.schedule)}"`,
        attributes: { schedule: parameters.schedule ?? null },
      };
    case 'volume.expand':
      return {
        ...base,
        kind: 'infrastructure',
        summary: `Expanded the volume of ${entity.name} to ${String(parameters.sizeGi)}Gi`,
        attributes: { sizeGi: parameters.sizeGi ?? null },
      };
    default:
      return {
        ...base,
        kind: 'other',
        summary: `${action.type} on ${entity.name}`,
        attributes: { ...(parameters as Record<string, JsonValue>) },
      };
  }
}

/**
 * Every change to the system, oldest first: deploys and config changes (whatever caused them, in one
 * form) and the actions applied through the actuator.
 */
export function computeSystemChanges(simulation: Simulation): SystemChange[] {
  const { model } = simulation;
  const deploys: PendingDeploy[] = [];
  const configs: PendingConfig[] = [];
  for (const noise of model.noise) {
    if (noise.type === 'deploy')
      deploys.push({
        entity: noise.target,
        atMs: noise.atMs,
        version: textParameter(noise.params, 'version'),
      });
    if (noise.type === 'config-change')
      configs.push({ entity: noise.target, atMs: noise.atMs, key: textParameter(noise.params, 'key') });
  }
  for (const fault of model.faults) {
    if (fault.type === 'deploy.bad-release')
      deploys.push({
        entity: fault.target,
        atMs: fault.startMs,
        version: textParameter(fault.params, 'version'),
      });
    if (fault.type === 'config.bad-change')
      configs.push({ entity: fault.target, atMs: fault.startMs, key: textParameter(fault.params, 'key') });
  }
  type Pending = { atMs: number; order: number; apply: () => SystemChange | undefined };
  const pending: Pending[] = [];
  const versions = new Map<number, string[]>();
  const lastKeys = new Map<number, string>();
  const historyOf = (entity: number) => {
    let history = versions.get(entity);
    if (!history) {
      history = [model.entities[entity]?.baseline.version ?? '1.0.0'];
      versions.set(entity, history);
    }
    return history;
  };
  for (const deploy of deploys) {
    pending.push({
      atMs: deploy.atMs,
      order: 0,
      apply: () => {
        const entity = model.entities[deploy.entity];
        if (!entity) return undefined;
        const history = historyOf(deploy.entity);
        const from = history[history.length - 1] ?? entity.baseline.version;
        const to =
          deploy.version === 'auto'
            ? bumpVersion(simulation, from, `${entity.ref}|${deploy.atMs}`)
            : deploy.version;
        history.push(to);
        return {
          entity: deploy.entity,
          kind: 'deploy',
          atMs: deploy.atMs,
          summary: `Deployed ${entity.name} ${from} -> ${to}`,
          actor: 'argocd',
          attributes: { from, to, image: imageOf(simulation, deploy.entity, to), strategy: 'RollingUpdate' },
          rollsPods: true,
        };
      },
    });
  }
  for (const config of configs) {
    pending.push({
      atMs: config.atMs,
      order: 1,
      apply: () => {
        const entity = model.entities[config.entity];
        if (!entity) return undefined;
        lastKeys.set(config.entity, config.key);
        const actor = simulation.random(`config-actor|${entity.ref}|${config.atMs}`).pick(configActors);
        return {
          entity: config.entity,
          kind: 'config',
          atMs: config.atMs,
          summary: `Updated ConfigMap ${entity.name}-config: ${config.key}`,
          actor,
          attributes: { configMap: `${entity.name}-config`, keys: [config.key] },
          rollsPods: false,
        };
      },
    });
  }
  for (const intervention of simulation.interventions) {
    pending.push({
      atMs: intervention.atMs,
      order: 2,
      apply: () =>
        interventionChange(
          simulation,
          intervention,
          historyOf(intervention.target),
          lastKeys.get(intervention.target),
        ),
    });
  }
  pending.sort((left, right) => left.atMs - right.atMs || left.order - right.order);
  const changes: SystemChange[] = [];
  for (const item of pending) {
    const change = item.apply();
    if (change) changes.push(change);
  }
  return changes;
}

/** The version an entity runs at `atMs`. */
export function versionAt(simulation: Simulation, entity: number, atMs: number): string {
  const history = simulation.memo(`versions|${entity}`, () => {
    const versions: { atMs: number; version: string }[] = [];
    for (const change of simulation.changes()) {
      const to = change.attributes.to;
      if (
        change.entity === entity &&
        (change.kind === 'deploy' || change.kind === 'rollback') &&
        typeof to === 'string'
      ) {
        versions.push({ atMs: change.atMs, version: to });
      }
    }
    return versions;
  });
  let version = simulation.model.entities[entity]?.baseline.version ?? '1.0.0';
  for (const item of history) {
    if (item.atMs > atMs) break;
    version = item.version;
  }
  return version;
}
