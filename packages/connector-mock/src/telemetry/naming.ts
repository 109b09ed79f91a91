import type { ModelEntity, SystemModel } from '../simulation/system-model';

/** The port each kind listens on. */
export const servicePorts: Record<string, number> = {
  service: 8080,
  redis: 6379,
  postgres: 5432,
  queue: 5672,
};

/** The in-cluster DNS name of an entry (`cart-db.shop.svc.cluster.local`). */
export function clusterHost(model: SystemModel, entity: ModelEntity): string {
  return `${entity.name}.${model.namespace}.svc.cluster.local`;
}

/** The public host of an external API (`payments-api.example.com`). */
export function externalHost(entity: ModelEntity): string {
  return `${entity.name}.example.com`;
}

const podNames = new WeakMap<ModelEntity, string[]>();

/** The name of a pod of an entry: Deployment pods carry the template hash, StatefulSet pods an ordinal. */
export function podName(entity: ModelEntity, ordinal: number): string {
  let names = podNames.get(entity);
  if (!names) {
    names = [];
    podNames.set(entity, names);
  }
  const known = names[ordinal];
  if (known !== undefined) return known;
  const name = formatPodName(entity, ordinal);
  names[ordinal] = name;
  return name;
}

function formatPodName(entity: ModelEntity, ordinal: number): string {
  if (entity.kind === 'service') {
    const suffix = entity.baseline.podHash.slice(0, 5).split('').reverse().join('');
    return `${entity.name}-${entity.baseline.podHash}-${suffix.slice(0, 4)}${'abcdefghjk'.charAt(ordinal % 10)}`;
  }
  return `${entity.name}-${ordinal}`;
}

/** The database name behind a postgres entry (`cart-db` → `cart`). */
export function databaseName(entity: ModelEntity): string {
  return entity.name.replace(/-(db|pg|postgres|database)$/, '').replace(/-/g, '_') || entity.name;
}

/** An environment-variable prefix from a name (`cart-events` → `CART_EVENTS`). */
export function environmentPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** The HTTP routes a service serves (stable per name). */
export function routesOf(entity: ModelEntity): string[] {
  const resource = entity.name.replace(/-(service|svc|api)$/, '');
  return [`/api/${resource}`, `/api/${resource}/{id}`, '/healthz'];
}

/** The Kubernetes Job name of a cronjob run started at `startMs` (the controller's naming). */
export function jobName(entity: ModelEntity, startMs: number): string {
  return `${entity.name}-${Math.floor(startMs / 60_000)}`;
}
