/**
 * A synthetic Kubernetes cluster for the graph benchmark: namespaces of ~50 services in five
 * layers (each calls 1 to 4 services of deeper layers, popular ones more often, 10% across
 * namespaces), with Deployments, Services, ConfigMaps, pods, autoscalers, Redis and PostgreSQL
 * StatefulSets, a Kafka per namespace, backup CronJobs with their last Job and pod, and the
 * Nodes the pods run on. Everything comes from a seeded PRNG: the same seed gives the same cluster.
 */

/** Options of {@link generateSyntheticCluster}. */
export interface SyntheticClusterOptions {
  /** How many Kubernetes objects to produce. */
  readonly objects: number;
  /** PRNG seed. */
  readonly seed: number;
}

/** A Kubernetes object, as `JSON.parse` of `kubectl get -o json` would give it. */
export type KubernetesObject = Record<string, unknown>;

/**
 * A small, fast, seeded PRNG (mulberry32).
 *
 * @param seed - The seed.
 * @returns A function returning floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const servicesPerNamespace = 50;
const layers = 5;

/**
 * Generates the cluster.
 *
 * @param options - Object count and seed.
 * @returns Exactly `options.objects` objects.
 */
export function generateSyntheticCluster(options: SyntheticClusterOptions): KubernetesObject[] {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const skewed = <T>(list: readonly T[]): T => list[Math.floor(random() * random() * list.length)] as T;
  const nodeCount = Math.max(3, Math.ceil(options.objects / 100));
  const objects: KubernetesObject[] = [];
  for (let index = 0; index < nodeCount; index++) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: `worker-${index}`,
        labels: {
          'topology.kubernetes.io/zone': `eu-west-1${'abc'[index % 3]}`,
          'node.kubernetes.io/instance-type': 'm6i.2xlarge',
        },
      },
      status: {
        capacity: { cpu: '8', memory: '32Gi', pods: '110' },
        allocatable: { cpu: '7910m', memory: '31Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  const pod = (
    namespace: string,
    name: string,
    labels: Record<string, string>,
    owner: { kind: string; name: string },
    spec: KubernetesObject,
  ) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, controller: true }],
    },
    spec: { ...spec, nodeName: `worker-${Math.floor(random() * nodeCount)}` },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'main', ready: true, restartCount: random() < 0.05 ? 3 : 0 }],
    },
  });
  const previousNamespaces: string[] = [];
  for (let namespaceIndex = 0; objects.length < options.objects; namespaceIndex++) {
    const namespace = `team-${namespaceIndex}`;
    const team = `team-${namespaceIndex % 40}`;
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { team } } });
    const services = Array.from({ length: servicesPerNamespace }, (_, index) => ({
      name: `svc-${index}`,
      layer: Math.min(layers - 1, Math.floor((index / servicesPerNamespace) * layers)),
    }));
    const datastore = (kind: 'redis' | 'postgres' | 'kafka', index: number) => {
      const name = `${kind}-${index}`;
      const image =
        kind === 'redis' ? 'redis:7.2' : kind === 'postgres' ? 'postgres:16.2' : 'bitnami/kafka:3.7';
      const port = kind === 'redis' ? 6379 : kind === 'postgres' ? 5432 : 9092;
      const labels = { app: name };
      const template = {
        containers: [{ name: kind, image, resources: { requests: { cpu: '500m', memory: '2Gi' } } }],
      };
      const replicas = kind === 'postgres' ? 1 : 1 + Math.floor(random() * 3);
      objects.push(
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name, namespace, labels: { ...labels, team } },
          spec: { replicas, serviceName: name, template: { metadata: { labels }, spec: template } },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace },
          spec: { selector: labels, ports: [{ name: kind, port }] },
        },
      );
      for (let replica = 0; replica < replicas; replica++) {
        objects.push(pod(namespace, `${name}-${replica}`, labels, { kind: 'StatefulSet', name }, template));
      }
      return { name, port };
    };
    const redis = Array.from({ length: Math.ceil(servicesPerNamespace / 8) }, (_, index) =>
      datastore('redis', index),
    );
    const postgres = Array.from({ length: Math.ceil(servicesPerNamespace / 6) }, (_, index) =>
      datastore('postgres', index),
    );
    const kafka = datastore('kafka', 0);
    for (const service of services) {
      const env: { name: string; value: string }[] = [{ name: 'PORT', value: '8080' }];
      const deeper = services.filter((candidate) => candidate.layer > service.layer);
      const calls = deeper.length === 0 ? 0 : 1 + Math.floor(random() * random() * 4);
      const targets = new Set<string>();
      for (let call = 0; call < calls; call++) {
        const other = previousNamespaces.length > 0 && random() < 0.1 ? pick(previousNamespaces) : undefined;
        const target = skewed(deeper);
        if (targets.has(`${other ?? namespace}/${target.name}`)) continue;
        targets.add(`${other ?? namespace}/${target.name}`);
        env.push({
          name: `${target.name.toUpperCase().replace(/-/g, '_')}_URL`,
          value:
            other === undefined
              ? `http://${target.name}:8080`
              : `http://${target.name}.${other}.svc.cluster.local:8080`,
        });
      }
      if (service.layer >= 2 && random() < 0.6) {
        const database = pick(postgres);
        env.push({
          name: 'DATABASE_URL',
          value: `postgres://${service.name}:pw-${Math.floor(random() * 1e9)}@${database.name}:5432/${service.name}`,
        });
      }
      if (random() < 0.4)
        env.push({
          name: 'REDIS_URL',
          value: `redis://:pw-${Math.floor(random() * 1e9)}@${pick(redis).name}.${namespace}.svc.cluster.local:6379`,
        });
      if (random() < 0.2) env.push({ name: 'KAFKA_BROKERS', value: `${kafka.name}:9092` });
      const labels = { app: service.name };
      const replicas = random() < 0.1 ? 5 : 2 + Math.floor(random() * 2);
      const template = {
        containers: [
          {
            name: 'main',
            image: `registry.example.com/${namespace}/${service.name}:1.${Math.floor(random() * 20)}.0`,
            env,
            envFrom: [{ configMapRef: { name: `${service.name}-config` } }],
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
          },
        ],
      };
      const tier = service.layer === 0 ? '1' : service.layer < 3 ? '2' : '3';
      objects.push(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `${service.name}-config`, namespace },
          data: {
            LOG_LEVEL: 'info',
            FEATURE_FLAGS_URL: 'http://flags.platform.svc.cluster.local:8080',
            TIMEOUT_MS: '2000',
          },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: service.name, namespace, labels: { ...labels, team, 'aisre.dev/tier': tier } },
          spec: {
            replicas,
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: template },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: service.name, namespace, labels },
          spec: { selector: labels, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] },
        },
      );
      if (random() < 0.3) {
        objects.push({
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: service.name, namespace },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
            minReplicas: replicas,
            maxReplicas: replicas * 4,
            metrics: [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
              },
            ],
          },
        });
      }
      const hash = Math.floor(random() * 0xfffffff)
        .toString(36)
        .padStart(6, '0')
        .slice(0, 9);
      for (let replica = 0; replica < replicas; replica++) {
        objects.push(
          pod(
            namespace,
            `${service.name}-${hash}-${replica.toString(36)}x${Math.floor(random() * 1e4)}`,
            { ...labels, 'pod-template-hash': hash },
            { kind: 'ReplicaSet', name: `${service.name}-${hash}` },
            template,
          ),
        );
      }
      if (service.layer >= 3 && random() < 0.3) {
        const database = pick(postgres);
        const name = `${service.name}-backup`;
        const jobTemplate = {
          containers: [
            {
              name: 'backup',
              image: 'postgres:16.2',
              env: [{ name: 'PGHOST', value: `${database.name}.${namespace}.svc.cluster.local` }],
            },
          ],
          restartPolicy: 'OnFailure',
        };
        objects.push(
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            metadata: { name, namespace, labels: { team } },
            spec: {
              schedule: `${Math.floor(random() * 60)} 3 * * *`,
              jobTemplate: { spec: { template: { spec: jobTemplate } } },
            },
          },
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: `${name}-29536020`,
              namespace,
              ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name, controller: true }],
            },
            spec: { template: { spec: jobTemplate } },
          },
          pod(
            namespace,
            `${name}-29536020-q7xkz`,
            { job: name },
            { kind: 'Job', name: `${name}-29536020` },
            jobTemplate,
          ),
        );
      }
    }
    previousNamespaces.push(namespace);
  }
  return objects.slice(0, options.objects);
}
