// A synthetic system for the engine benchmark: a chain of services over shared datastores, with flat telemetry
// answered after a fixed delay. It measures the framework, not reasoning.
import type { Connector, EntityRef, MetricSeries } from '@aisre/core';

/** Options of the synthetic system. */
export interface SyntheticSystemOptions {
  /** Services in the chain. */
  services: number;
  /** Delay of every call, milliseconds (0: answer on the next microtask). */
  delayMs: number;
  /** Epoch ms the data ends at. */
  now: number;
  /** Call start times are appended here (performance.now()). */
  starts?: number[];
}

/** Creates the synthetic connector. */
export function createSyntheticSystem(options: SyntheticSystemOptions): Connector {
  const services: EntityRef[] = Array.from(
    { length: options.services },
    (_, index) => `service:bench/svc-${index}` as EntityRef,
  );
  const stores: EntityRef[] = ['postgres:bench/db', 'redis:bench/cache'];
  const wait = async () => {
    options.starts?.push(performance.now());
    if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
  };
  const points = (level: number): MetricSeries['points'] => {
    const out: MetricSeries['points'] = [];
    for (let index = 0; index < 240; index++)
      out.push([options.now - (240 - index) * 30_000, level * (1 + ((index * 7919) % 13) / 400)]);
    return out;
  };
  return {
    name: 'synthetic',
    tools: [],
    capabilities: {
      topology: {
        async scan() {
          await wait();
          return {
            observedAt: new Date(options.now).toISOString(),
            entities: [...services, ...stores].map((ref) => ({ ref, attributes: {} })),
            relations: [
              ...services.slice(1).map((to, index) => ({
                from: services[index] as EntityRef,
                to,
                kind: 'depends-on',
                attributes: {},
              })),
              ...services.flatMap((from) =>
                stores.map((to) => ({ from, to, kind: 'depends-on', attributes: {} })),
              ),
            ],
            kubernetesObjects: [],
          };
        },
      },
      metrics: {
        async list() {
          await wait();
          return [];
        },
        async range(query) {
          await wait();
          return [
            {
              metric: query.metric,
              entity: query.entity ?? services[0] ?? 'service:bench/none',
              labels: query.labels ?? {},
              unit: '',
              points: points(10),
            },
          ];
        },
      },
      changes: {
        async list() {
          await wait();
          return [];
        },
      },
      logs: {
        async search() {
          await wait();
          return [];
        },
      },
    },
  };
}
