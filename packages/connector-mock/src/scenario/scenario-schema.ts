import { entityRefSchema, severitySchema } from '@aisre/core';
import { z } from 'zod';
import type { FaultType, NoiseType, Scenario, ServiceKind } from '../types';
import { parseDuration, resolveTimeReference } from './duration';
import { checkScenarioReferences } from './scenario-references';

/** Every entry kind, in a stable order. */
export const serviceKinds: readonly ServiceKind[] = [
  'service',
  'redis',
  'postgres',
  'queue',
  'cronjob',
  'external',
];

/** Every fault type name, in catalogue order. */
export const faultTypeNames: readonly FaultType[] = [
  'redis.memory-fragmentation',
  'redis.memory-pressure',
  'db.connection-pool-saturation',
  'db.slow-queries',
  'deploy.bad-release',
  'config.bad-change',
  'cpu.saturation',
  'memory.leak',
  'disk.full',
  'network.latency',
  'dependency.timeout',
  'cronjob.resource-contention',
];

/** Every noise type name, in catalogue order. */
export const noiseTypeNames: readonly NoiseType[] = [
  'deploy',
  'config-change',
  'flapping-alert',
  'anomaly',
  'chat',
];

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsLabelMessage = 'expected a DNS label: lower-case letters, digits and "-" (at most 63)';

const nameSchema = z.string().regex(dnsLabel, dnsLabelMessage);

const durationSchema = z
  .string()
  .refine((text) => (parseDuration(text) ?? 0) > 0, 'expected a duration like 30s, 60m, 3h or 1d');

const timeReferenceSchema = z
  .string()
  .refine(
    (text) => resolveTimeReference(text, 0) !== undefined,
    'expected an offset like +60m or an ISO time with a timezone like 2026-03-02T01:00:00Z',
  );

const parameterValuesSchema = z.record(z.string(), z.union([z.number(), z.string()]));

const serviceSchema = z.strictObject({
  name: nameSchema,
  kind: z.enum(serviceKinds as [ServiceKind, ...ServiceKind[]]),
  tier: z.number().int().min(1).max(3).optional(),
  replicas: z.number().int().min(1).max(1000).optional(),
  rps: z.number().positive().max(1_000_000).optional(),
  dependsOn: z.array(z.string()).optional(),
  consumes: z.array(z.string()).optional(),
  schedule: z.string().optional(),
  maxMemoryMb: z.number().int().min(1).max(4_194_304).optional(),
  maxConnections: z.number().int().min(1).max(100_000).optional(),
  team: z.string().min(1).max(63).optional(),
});

const trafficSchema = z.strictObject({
  pattern: z.enum(['flat', 'diurnal']),
  peakMultiplier: z.number().min(1).max(1000).optional(),
  peakAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day HH:MM')
    .optional(),
});

const faultSchema = z.strictObject({
  type: z.enum(faultTypeNames as [FaultType, ...FaultType[]]),
  target: z.string().min(1),
  start: timeReferenceSchema,
  end: timeReferenceSchema.optional(),
  params: parameterValuesSchema.optional(),
});

const noiseSchema = z.strictObject({
  type: z.enum(noiseTypeNames as [NoiseType, ...NoiseType[]]),
  target: z.string().min(1),
  at: timeReferenceSchema,
  params: parameterValuesSchema.optional(),
});

const triggerSchema = z.strictObject({
  alert: z.string().regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/, 'expected an alert name like RedisLatencyHigh'),
  entity: entityRefSchema,
  severity: severitySchema,
  at: timeReferenceSchema,
});

const expectationSchema = z.strictObject({
  rootCause: z
    .strictObject({
      entity: entityRefSchema,
      fault: z.enum(faultTypeNames as [FaultType, ...FaultType[]]),
    })
    .optional(),
  decision: z.enum(['ignore', 'watch', 'investigate', 'escalate']).optional(),
});

const structureSchema = z.strictObject({
  name: z.string().min(1).max(200),
  seed: z.number().int().min(0).max(4_294_967_295),
  start: z.iso.datetime({
    offset: true,
    message: 'expected an ISO time with a timezone like 2026-03-02T01:00:00Z',
  }),
  duration: durationSchema,
  step: durationSchema,
  topology: z.strictObject({
    namespace: nameSchema,
    services: z.array(serviceSchema).min(1),
  }),
  traffic: trafficSchema.optional(),
  faults: z.array(faultSchema).default([]),
  noise: z.array(noiseSchema).default([]),
  trigger: triggerSchema,
  expect: expectationSchema.optional(),
});

/**
 * The zod schema of a scenario file (JSON or YAML, once parsed). Objects are strict: an unknown field is an
 * error naming it. Beyond the shape it checks references (`dependsOn`, `consumes`, fault and noise targets,
 * the trigger entity, the expected root cause), that each fault fits its target's kind, fault and noise
 * parameters, cron schedules, times and cycles, each error naming its field path.
 */
export const scenarioSchema: z.ZodType<Scenario> = structureSchema.superRefine((scenario, context) => {
  for (const issue of checkScenarioReferences(scenario)) {
    context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
});
