import {
  type EntityRef,
  type JsonValue,
  redactSecrets,
  type TopologyCapability,
  type TopologyEntity,
  throwIfAborted,
} from '@aisre/core';
import { moduleName } from './module-name';
import type { PrometheusApi } from './prometheus-api';
import type { PrometheusSettings } from './prometheus-settings';

/**
 * The `topology` capability from the scrape targets: one entity per ref the targets map to, with the
 * scrape jobs, instances and health (`up` when every target of it is up, else `down` with the last error).
 * Prometheus knows no relations between them, so there are none.
 *
 * @param api - the HTTP API
 * @param settings - the entity mapping
 */
export function createTopologyCapability(
  api: PrometheusApi,
  settings: PrometheusSettings,
): TopologyCapability {
  return {
    async scan(context) {
      throwIfAborted(context.signal, `${moduleName}: topology.scan`);
      const { activeTargets } = await api.targets({ operation: 'topology.scan' }, context);
      const byRef = new Map<EntityRef, { jobs: Set<string>; instances: Set<string>; down: string[] }>();
      for (const target of activeTargets) {
        const ref = settings.entities.entityOf(target.labels);
        if (!ref) continue;
        const entry = byRef.get(ref) ?? { jobs: new Set(), instances: new Set(), down: [] };
        if (target.labels.job) entry.jobs.add(target.labels.job);
        if (target.labels.instance) entry.instances.add(target.labels.instance);
        if (target.health !== 'up')
          entry.down.push(
            `${target.labels.instance ?? target.scrapeUrl ?? '?'}: ${redactSecrets(target.lastError || target.health)}`,
          );
        byRef.set(ref, entry);
      }
      const entities: TopologyEntity[] = [...byRef.entries()]
        .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
        .map(([ref, entry]) => {
          const attributes: Record<string, JsonValue> = {
            kind: ref.slice(0, ref.indexOf(':')),
            scrapeJobs: [...entry.jobs].sort(),
            instances: [...entry.instances].sort(),
            health: entry.down.length === 0 ? 'up' : 'down',
            source: settings.name,
          };
          if (entry.down.length > 0) attributes.scrapeErrors = entry.down.slice(0, 5);
          return { ref, attributes };
        });
      return {
        observedAt: new Date(context.clock.now()).toISOString(),
        entities,
        relations: [],
        kubernetesObjects: [],
      };
    },
  };
}
