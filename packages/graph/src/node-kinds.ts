/**
 * The workload kinds: Kubernetes controllers that run pods.
 */
export const WORKLOAD_KINDS = ['deployment', 'statefulset', 'daemonset', 'cronjob', 'job'] as const;

/** One of {@link WORKLOAD_KINDS}. */
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/**
 * The node kinds the graph knows out of the box. More can be added by augmenting
 * {@link NodeAttributesByKind}.
 */
export const BUILT_IN_NODE_KINDS = [
  'service',
  ...WORKLOAD_KINDS,
  'pod',
  'node',
  'namespace',
  'redis',
  'postgres',
  'queue',
  'external',
  'configmap',
  'ingress',
  'team',
  'doc',
  'incident',
  'failure-pattern',
  'remediation',
  'change',
] as const;

/** Attributes any node may carry. */
export interface CommonNodeAttributes {
  /** A human-friendly name, when it differs from the reference's name. */
  displayName?: string;
  /** Free text about the entity. */
  description?: string;
  /** Kubernetes-style labels. */
  labels?: Record<string, string>;
  /** The owning team, from labels or annotations (`team`, `owner`, ...). */
  team?: string;
  /** The application the entity belongs to (`app.kubernetes.io/part-of`). */
  application?: string;
  /** Business tier: 1 is the most critical (`aisre.dev/tier`). */
  tier?: number;
}

/** Compute resources, summed over a pod's containers. */
export interface ResourceSummary {
  /** CPU requested, in millicores. */
  cpuRequestMillicores?: number;
  /** CPU limit, in millicores. */
  cpuLimitMillicores?: number;
  /** Memory requested, in bytes. */
  memoryRequestBytes?: number;
  /** Memory limit, in bytes. */
  memoryLimitBytes?: number;
  /** GPUs requested (`nvidia.com/gpu` and other `*.com/gpu` resources). */
  gpuRequest?: number;
  /** GPU limit. */
  gpuLimit?: number;
}

/** One container of a pod template. */
export interface ContainerSummary {
  /** Container name. */
  name: string;
  /** Image reference. */
  image: string;
  /** Requests and limits of this container. */
  resources?: ResourceSummary;
}

/** One port of a Kubernetes Service. */
export interface PortSummary {
  /** Port name, if any. */
  name?: string;
  /** Port number. */
  port: number;
  /** Target port on the pods (number or named port). */
  targetPort?: number | string;
  /** `TCP`, `UDP` or `SCTP`. */
  protocol?: string;
}

/** What a HorizontalPodAutoscaler says about its target. */
export interface AutoscalingSummary {
  /** Minimum replicas. */
  minReplicas?: number;
  /** Maximum replicas. */
  maxReplicas: number;
  /** Target average CPU utilisation, in percent, when set. */
  targetCpuUtilizationPercent?: number;
  /** Metric names the autoscaler scales on. */
  metrics?: string[];
}

/** Attributes of workloads (Deployment, StatefulSet, DaemonSet, CronJob, Job). */
export interface WorkloadAttributes extends CommonNodeAttributes {
  /** Desired replicas. */
  replicas?: number;
  /** Container images. */
  images?: string[];
  /** Containers of the pod template, when there are several. */
  containers?: ContainerSummary[];
  /** Requests and limits of one pod. */
  resources?: ResourceSummary;
  /** Labels of the pod template (what Services select on). */
  podLabels?: Record<string, string>;
  /** Names of the environment variables (never their values). */
  envNames?: string[];
  /** Secrets referenced (`name` or `name/key`); never their values. */
  secretRefs?: string[];
  /** ConfigMaps referenced. */
  configMapRefs?: string[];
  /** Cron schedule (CronJob). */
  schedule?: string;
  /** Whether the CronJob is suspended. */
  suspended?: boolean;
  /** Autoscaling, from a HorizontalPodAutoscaler. */
  autoscaling?: AutoscalingSummary;
  /** Service account the pods run as. */
  serviceAccount?: string;
}

/** Attributes of services (Kubernetes Services and services seen in traces). */
export interface ServiceAttributes extends CommonNodeAttributes {
  /** The Service's pod selector. */
  selector?: Record<string, string>;
  /** Service ports. */
  ports?: PortSummary[];
  /** `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`. */
  serviceType?: string;
  /** Where it is reached, sanitised (no credentials). */
  endpoint?: string;
}

/** Attributes of datastores (Redis, PostgreSQL). */
export interface DatastoreAttributes extends ServiceAttributes {
  /** Engine name as seen (`redis`, `postgresql`, `valkey`). */
  engine?: string;
  /** Configured memory limit, in bytes. */
  maxMemoryBytes?: number;
  /** Configured maximum connections. */
  maxConnections?: number;
}

/** Attributes of queues and brokers. */
export interface QueueAttributes extends ServiceAttributes {
  /** Messaging system (`kafka`, `rabbitmq`, `nats`, ...). */
  system?: string;
}

/** Attributes of pods. */
export interface PodAttributes extends CommonNodeAttributes {
  /** `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`. */
  phase?: string;
  /** The node the pod is scheduled on. */
  nodeName?: string;
  /** Container restarts, summed. */
  restarts?: number;
  /** Whether every container is ready. */
  ready?: boolean;
  /** Container images. */
  images?: string[];
  /** Requests and limits of the pod. */
  resources?: ResourceSummary;
  /** Secrets referenced; never their values. */
  secretRefs?: string[];
  /** ConfigMaps referenced. */
  configMapRefs?: string[];
}

/** Capacity figures of a cluster node. */
export interface NodeResources {
  /** CPU, in millicores. */
  cpuMillicores?: number;
  /** Memory, in bytes. */
  memoryBytes?: number;
  /** GPUs. */
  gpu?: number;
  /** Maximum pods. */
  pods?: number;
}

/** Attributes of cluster nodes (machines). */
export interface ClusterNodeAttributes extends CommonNodeAttributes {
  /** Total capacity. */
  capacity?: NodeResources;
  /** Capacity available to pods. */
  allocatable?: NodeResources;
  /** Availability zone. */
  zone?: string;
  /** Region. */
  region?: string;
  /** Machine type. */
  instanceType?: string;
  /** Whether the `Ready` condition is true. */
  ready?: boolean;
  /** Whether the node is cordoned. */
  unschedulable?: boolean;
}

/** Attributes of namespaces. */
export interface NamespaceAttributes extends CommonNodeAttributes {
  /** Phase of the namespace (`Active`, `Terminating`). */
  phase?: string;
}

/** Attributes of things outside the cluster. */
export interface ExternalAttributes extends CommonNodeAttributes {
  /** Host name. */
  host?: string;
  /** Where it is reached, sanitised (no credentials). */
  endpoint?: string;
}

/** Attributes of ConfigMaps: the keys only, never the values. */
export interface ConfigMapAttributes extends CommonNodeAttributes {
  /** Keys of `data` and `binaryData`. */
  keys?: string[];
}

/** Attributes of ingresses. */
export interface IngressAttributes extends CommonNodeAttributes {
  /** Host names served. */
  hosts?: string[];
  /** Ingress class. */
  ingressClass?: string;
  /** TLS secrets referenced; never their values. */
  tlsSecretRefs?: string[];
}

/** Attributes of teams. */
export interface TeamAttributes extends CommonNodeAttributes {
  /** How to reach the team (channel, address). */
  contact?: string;
}

/** Attributes of documents (runbooks, design docs, chat threads). */
export interface DocAttributes extends CommonNodeAttributes {
  /** Title. */
  title?: string;
  /** Where to read it. */
  url?: string;
}

/** Attributes of incidents. */
export interface IncidentAttributes extends CommonNodeAttributes {
  /** Title. */
  title?: string;
  /** Severity, `P1` (worst) to `P5`. */
  severity?: string;
  /** `open`, `mitigated`, `resolved`. */
  status?: string;
  /** When it started, in milliseconds since the epoch. */
  startedAt?: number;
  /** When it was resolved, in milliseconds since the epoch. */
  resolvedAt?: number;
  /** What happened. */
  summary?: string;
}

/** Attributes of failure patterns (known ways things break). */
export interface FailurePatternAttributes extends CommonNodeAttributes {
  /** Title, e.g. `Redis memory fragmentation`. */
  title?: string;
  /** Fault type identifier, e.g. `redis.memory-fragmentation`. */
  fault?: string;
  /** Node kinds the pattern applies to (`redis`, `postgres`). */
  entityKinds?: string[];
  /** Symptoms that give it away. */
  symptoms?: string[];
}

/** Attributes of remediations. */
export interface RemediationAttributes extends CommonNodeAttributes {
  /** Title. */
  title?: string;
  /** Action type, e.g. `restart`, `scale`, `set-limit`. */
  action?: string;
  /** What happened after it was applied. */
  outcome?: string;
}

/** Attributes of changes (deploys, config changes, scheduled jobs). */
export interface ChangeAttributes extends CommonNodeAttributes {
  /** When the change happened, in milliseconds since the epoch. */
  at?: number;
  /** `deploy`, `config`, `scale`, `scheduled-job`, `feature-flag`, ... */
  changeType?: string;
  /** What changed. */
  summary?: string;
  /** Who or what made it. */
  author?: string;
}

/**
 * The attribute type of every node kind. This interface is the registry of node kinds: augment
 * it to add a kind or attributes, and every typed API picks it up.
 *
 * @example
 * ```ts
 * declare module '@aisre/graph' {
 *   interface NodeAttributesByKind {
 *     lambda: CommonNodeAttributes & { runtime?: string };
 *   }
 * }
 * ```
 */
export interface NodeAttributesByKind {
  /** A service: a Kubernetes Service or a service seen in traces. */
  service: ServiceAttributes;
  /** A Deployment. */
  deployment: WorkloadAttributes;
  /** A StatefulSet. */
  statefulset: WorkloadAttributes;
  /** A DaemonSet. */
  daemonset: WorkloadAttributes;
  /** A CronJob. */
  cronjob: WorkloadAttributes;
  /** A Job. */
  job: WorkloadAttributes;
  /** A Pod. */
  pod: PodAttributes;
  /** A cluster node (machine). */
  node: ClusterNodeAttributes;
  /** A Kubernetes namespace. */
  namespace: NamespaceAttributes;
  /** A Redis (or compatible) datastore. */
  redis: DatastoreAttributes;
  /** A PostgreSQL datastore. */
  postgres: DatastoreAttributes;
  /** A queue, topic or broker. */
  queue: QueueAttributes;
  /** Something outside the cluster (a SaaS API, a managed service). */
  external: ExternalAttributes;
  /** A ConfigMap. */
  configmap: ConfigMapAttributes;
  /** An Ingress. */
  ingress: IngressAttributes;
  /** A team. */
  team: TeamAttributes;
  /** A document: runbook, design note, chat thread. */
  doc: DocAttributes;
  /** A past or current incident. */
  incident: IncidentAttributes;
  /** A known failure pattern. */
  'failure-pattern': FailurePatternAttributes;
  /** A remediation that was proposed or applied. */
  remediation: RemediationAttributes;
  /** A change: deploy, configuration change, scheduled job run. */
  change: ChangeAttributes;
}

/** A node kind: a key of {@link NodeAttributesByKind}. */
export type NodeKind = Extract<keyof NodeAttributesByKind, string>;

/** The datastore and messaging kinds: things other workloads share. */
export const RESOURCE_NODE_KINDS: readonly NodeKind[] = [
  'redis',
  'postgres',
  'queue',
  'external',
  'node',
  'configmap',
];
