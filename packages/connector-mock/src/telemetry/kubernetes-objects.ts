import type { JsonValue } from '@aisre/core';
import { versionAt } from '../simulation/change-timeline';
import type { Simulation } from '../simulation/simulation';
import type { ModelEntity } from '../simulation/system-model';
import { clusterHost, databaseName, environmentPrefix, externalHost, servicePorts } from './naming';

type JsonObject = { [key: string]: JsonValue };

const images: Record<string, string> = {
  redis: 'redis:7.2.4',
  postgres: 'postgres:16.3',
  queue: 'rabbitmq:3.13-management',
};

const components: Record<string, string> = {
  service: 'api',
  redis: 'cache',
  postgres: 'database',
  queue: 'message-broker',
  cronjob: 'batch',
};

function formatCpu(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}

function formatMemory(bytes: number): string {
  const gibibytes = bytes / 1024 ** 3;
  return Number.isInteger(gibibytes) ? `${gibibytes}Gi` : `${Math.round(bytes / 1024 ** 2)}Mi`;
}

function metadata(simulation: Simulation, entity: ModelEntity, name = entity.name): JsonObject {
  const labels: JsonObject = {
    'app.kubernetes.io/name': entity.name,
    'app.kubernetes.io/component': components[entity.kind] ?? 'app',
    'app.kubernetes.io/part-of': simulation.model.namespace,
  };
  if (entity.team) labels.team = entity.team;
  return {
    name,
    namespace: simulation.model.namespace,
    labels,
    annotations: { 'aisre.dev/tier': String(entity.tier) },
  };
}

function dependencyEnvironment(simulation: Simulation, entity: ModelEntity): JsonValue[] {
  const { model } = simulation;
  const callees = entity.outgoing
    .map((edge) => model.entities[model.edges[edge]?.to ?? -1])
    .filter((callee) => callee !== undefined);
  const count = (kind: string) => callees.filter((callee) => callee.kind === kind).length;
  const env: JsonValue[] = [];
  for (const callee of callees) {
    const prefix = environmentPrefix(callee.name);
    const host = clusterHost(model, callee);
    switch (callee.kind) {
      case 'redis':
        env.push({
          name: count('redis') === 1 ? 'REDIS_URL' : `${prefix}_REDIS_URL`,
          value: `redis://${host}:${servicePorts.redis}`,
        });
        break;
      case 'postgres': {
        const single = count('postgres') === 1;
        const user = entity.name.replace(/-/g, '_');
        env.push({
          name: single ? 'DATABASE_URL' : `${prefix}_DATABASE_URL`,
          value: `postgres://${user}@${host}:${servicePorts.postgres}/${databaseName(callee)}`,
        });
        env.push({
          name: single ? 'DATABASE_PASSWORD' : `${prefix}_DATABASE_PASSWORD`,
          valueFrom: { secretKeyRef: { name: `${callee.name}-credentials`, key: 'password' } },
        });
        break;
      }
      case 'queue':
        env.push({ name: `${prefix}_AMQP_URL`, value: `amqp://${host}:${servicePorts.queue}` });
        break;
      case 'external':
        env.push({ name: `${prefix}_URL`, value: `https://${externalHost(callee)}` });
        break;
      default:
        env.push({ name: `${prefix}_URL`, value: `http://${host}:${servicePorts.service}` });
    }
  }
  for (const queue of entity.consumes) {
    const callee = model.entities[queue];
    if (callee && !callees.includes(callee)) {
      env.push({
        name: `${environmentPrefix(callee.name)}_AMQP_URL`,
        value: `amqp://${clusterHost(model, callee)}:${servicePorts.queue}`,
      });
    }
  }
  return env;
}

function container(simulation: Simulation, entity: ModelEntity, step: number, nowMs: number): JsonObject {
  const settings = simulation.settings(entity.index);
  const cpu = settings.cpuLimitCores[step] ?? entity.baseline.cpuLimitCores;
  const memory = settings.memoryLimitBytes[step] ?? entity.baseline.memoryLimitBytes;
  const image =
    images[entity.kind] ??
    `registry.example.com/${simulation.model.namespace}/${entity.name}:${versionAt(simulation, entity.index, nowMs)}`;
  const result: JsonObject = {
    name: entity.name,
    image,
    resources: {
      limits: { cpu: formatCpu(cpu), memory: formatMemory(memory) },
      requests: { cpu: formatCpu(cpu / 2), memory: formatMemory(memory / 2) },
    },
  };
  const port = servicePorts[entity.kind];
  if (port !== undefined && entity.kind !== 'cronjob')
    result.ports = [{ name: entity.kind === 'service' ? 'http' : entity.kind, containerPort: port }];
  if (entity.kind === 'service' || entity.kind === 'cronjob') {
    result.env = [
      { name: 'OTEL_SERVICE_NAME', value: entity.name },
      { name: 'LOG_LEVEL', value: 'info' },
      ...dependencyEnvironment(simulation, entity),
    ];
  }
  if (entity.kind === 'redis')
    result.args = [
      '--maxmemory',
      `${Math.round((settings.maxMemoryBytes[step] ?? entity.maxMemoryBytes) / 1024 ** 2)}mb`,
    ];
  if (entity.kind === 'postgres') {
    result.args = ['-c', `max_connections=${settings.maxConnections[step] ?? entity.maxConnections}`];
    result.env = [
      { name: 'POSTGRES_DB', value: databaseName(entity) },
      {
        name: 'POSTGRES_PASSWORD',
        valueFrom: { secretKeyRef: { name: `${entity.name}-credentials`, key: 'password' } },
      },
    ];
  }
  if (entity.kind !== 'cronjob' && entity.kind !== 'queue')
    result.volumeMounts = [{ name: 'data', mountPath: `/var/lib/${entity.name}` }];
  return result;
}

function selector(entity: ModelEntity): JsonObject {
  return { matchLabels: { 'app.kubernetes.io/name': entity.name } };
}

/**
 * The Kubernetes objects of the simulated system as the API would return them at `nowMs`: a Deployment and
 * a Service per service (env vars pointing at its dependencies, passwords from Secrets), a StatefulSet and
 * a Service per datastore and queue, a CronJob per scheduled job. External APIs have no objects.
 */
export function kubernetesObjects(simulation: Simulation, nowMs: number): JsonValue[] {
  const { model } = simulation;
  const step = Math.max(0, Math.min(model.stepCount - 1, Math.floor((nowMs - model.startMs) / model.stepMs)));
  const objects: JsonValue[] = [];
  for (const entity of model.entities) {
    if (entity.kind === 'external') continue;
    const meta = metadata(simulation, entity);
    const replicas = simulation.settings(entity.index).replicas[step] ?? entity.replicas;
    const podTemplate = {
      metadata: { labels: (meta.labels ?? {}) as JsonObject },
      spec: { containers: [container(simulation, entity, step, nowMs)] } as JsonObject,
    };
    if (entity.kind === 'service') {
      podTemplate.spec.volumes = [
        { name: 'data', persistentVolumeClaim: { claimName: `data-${entity.name}` } },
      ];
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          replicas,
          selector: selector(entity),
          strategy: { type: 'RollingUpdate' },
          template: podTemplate,
        },
      });
    } else if (entity.kind === 'cronjob') {
      const intervention = [...simulation.interventions]
        .reverse()
        .find((item) => item.target === entity.index && item.schedule !== undefined && item.atMs <= nowMs);
      const suspended = intervention !== undefined && intervention.schedule === null;
      const schedule = intervention?.schedule
        ? intervention.schedule.expression
        : (entity.schedule?.expression ?? '0 0 * * *');
      podTemplate.spec.restartPolicy = 'OnFailure';
      objects.push({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta,
        spec: {
          schedule,
          suspend: suspended,
          concurrencyPolicy: 'Forbid',
          timeZone: 'Etc/UTC',
          jobTemplate: { spec: { template: podTemplate } },
        },
      });
      continue;
    } else {
      const capacity =
        simulation.settings(entity.index).volumeCapacityBytes[step] ?? entity.baseline.volumeCapacityBytes;
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta,
        spec: {
          replicas,
          serviceName: entity.name,
          selector: selector(entity),
          template: podTemplate,
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: formatMemory(capacity) } },
              },
            },
          ],
        },
      });
    }
    const port = servicePorts[entity.kind] ?? 8080;
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: {
        selector: { 'app.kubernetes.io/name': entity.name },
        ports: [{ name: entity.kind === 'service' ? 'http' : entity.kind, port, targetPort: port }],
      },
    });
  }
  return objects;
}
