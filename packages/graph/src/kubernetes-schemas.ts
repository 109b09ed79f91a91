import { z } from 'zod';

// Minimal, tolerant schemas: only the fields the ingester reads; unknown fields are ignored.
// Scalars that YAML may type loosely (an unquoted port in an env value) are coerced to strings.

// (A union of per-type transforms rather than one transform of the union: strings, the usual case,
// then need no transform at all, which lets the ingester skip zod's copy; see schema-fast-check.ts.)
const scalarText = z.union([
  z.string(),
  z.number().transform((value) => String(value)),
  z.boolean().transform((value) => String(value)),
]);
const stringMap = z.record(z.string(), scalarText);
const quantity = z.union([z.string(), z.number()]);
const resourceList = z.record(z.string(), quantity);

/** Object metadata. */
export const metadataSchema = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  labels: stringMap.nullish(),
  annotations: stringMap.nullish(),
  ownerReferences: z
    .array(z.object({ kind: z.string(), name: z.string(), controller: z.boolean().optional() }))
    .nullish(),
});

const keyReference = z.object({ name: z.string().optional(), key: z.string() });

const envVarSchema = z.object({
  name: z.string().min(1),
  value: scalarText.optional(),
  valueFrom: z
    .object({ secretKeyRef: keyReference.optional(), configMapKeyRef: keyReference.optional() })
    .optional(),
});

const containerSchema = z.object({
  name: z.string(),
  image: z.string().optional(),
  env: z.array(envVarSchema).nullish(),
  envFrom: z
    .array(
      z.object({
        prefix: z.string().optional(),
        configMapRef: z.object({ name: z.string() }).optional(),
        secretRef: z.object({ name: z.string() }).optional(),
      }),
    )
    .nullish(),
  args: z.array(scalarText).nullish(),
  command: z.array(scalarText).nullish(),
  resources: z.object({ requests: resourceList.nullish(), limits: resourceList.nullish() }).nullish(),
});

/** A container of a pod spec. */
export type ContainerSpec = z.infer<typeof containerSchema>;

/** A pod spec. */
export const podSpecSchema = z.object({
  containers: z.array(containerSchema).min(1),
  initContainers: z.array(containerSchema).nullish(),
  volumes: z
    .array(
      z.object({
        name: z.string(),
        configMap: z.object({ name: z.string() }).optional(),
        secret: z.object({ secretName: z.string().optional() }).optional(),
      }),
    )
    .nullish(),
  nodeName: z.string().optional(),
  serviceAccountName: z.string().optional(),
});

/** A pod spec as the ingester reads it. */
export type PodSpec = z.infer<typeof podSpecSchema>;

const podTemplateSchema = z.object({
  metadata: z.object({ labels: stringMap.nullish() }).nullish(),
  spec: podSpecSchema,
});

/** Deployment, StatefulSet, DaemonSet. */
export const controllerSpecSchema = z.object({
  replicas: z.number().int().nonnegative().optional(),
  template: podTemplateSchema,
});

/** Job. */
export const jobSpecSchema = z.object({ template: podTemplateSchema });

/** CronJob. */
export const cronJobSpecSchema = z.object({
  schedule: z.string(),
  suspend: z.boolean().optional(),
  jobTemplate: z.object({ spec: jobSpecSchema }),
});

/** Pod (spec and the status fields read). */
export const podSchema = z.object({
  spec: podSpecSchema,
  status: z
    .object({
      phase: z.string().optional(),
      containerStatuses: z
        .array(z.object({ restartCount: z.number().optional(), ready: z.boolean().optional() }))
        .nullish(),
    })
    .nullish(),
});

/** Service. */
export const serviceSpecSchema = z.object({
  selector: stringMap.nullish(),
  type: z.string().optional(),
  externalName: z.string().optional(),
  ports: z
    .array(
      z.object({
        name: z.string().optional(),
        port: z.number().int(),
        targetPort: z.union([z.number(), z.string()]).optional(),
        protocol: z.string().optional(),
      }),
    )
    .nullish(),
});

const backendSchema = z.object({
  service: z.object({ name: z.string() }).optional(),
  serviceName: z.string().optional(),
});

/** Ingress. */
export const ingressSpecSchema = z.object({
  ingressClassName: z.string().optional(),
  defaultBackend: backendSchema.nullish(),
  backend: backendSchema.nullish(),
  rules: z
    .array(
      z.object({
        host: z.string().optional(),
        http: z.object({ paths: z.array(z.object({ backend: backendSchema })) }).nullish(),
      }),
    )
    .nullish(),
  tls: z.array(z.object({ secretName: z.string().optional() })).nullish(),
});

/** ConfigMap (values are read for dependency inference, never stored). */
export const configMapSchema = z.object({
  data: stringMap.nullish(),
  binaryData: z.record(z.string(), z.string()).nullish(),
});

/** HorizontalPodAutoscaler (autoscaling/v1 and v2). */
export const autoscalerSpecSchema = z.object({
  scaleTargetRef: z.object({ kind: z.string(), name: z.string() }),
  minReplicas: z.number().int().optional(),
  maxReplicas: z.number().int(),
  targetCPUUtilizationPercentage: z.number().optional(),
  metrics: z
    .array(
      z.object({
        type: z.string(),
        resource: z
          .object({
            name: z.string(),
            target: z.object({ averageUtilization: z.number().optional() }).optional(),
          })
          .optional(),
        pods: z.object({ metric: z.object({ name: z.string() }) }).optional(),
        object: z.object({ metric: z.object({ name: z.string() }) }).optional(),
        external: z.object({ metric: z.object({ name: z.string() }) }).optional(),
      }),
    )
    .nullish(),
});

/** Node (machine). */
export const clusterNodeSchema = z.object({
  spec: z.object({ unschedulable: z.boolean().optional() }).nullish(),
  status: z
    .object({
      capacity: resourceList.nullish(),
      allocatable: resourceList.nullish(),
      conditions: z.array(z.object({ type: z.string(), status: z.string() })).nullish(),
    })
    .nullish(),
});

/** Namespace. */
export const namespaceSchema = z.object({
  status: z.object({ phase: z.string().optional() }).nullish(),
});
