import { z } from 'zod';
import { parseCronSchedule } from '../scenario/cron-schedule';
import type { ServiceKind } from '../types';

const gibibyte = 1024 ** 3;

/** Parses a memory quantity: bytes as a number, or `512Mi`, `2Gi`, `16gb`, `20480mb`. */
export function parseMemory(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(ki|mi|gi|ti|kb|mb|gb|tb|k|m|g|t|b)?$/i.exec(value.trim());
  if (!match) return undefined;
  const units: Record<string, number> = {
    b: 1,
    k: 1000,
    kb: 1024,
    ki: 1024,
    m: 1000 ** 2,
    mb: 1024 ** 2,
    mi: 1024 ** 2,
    g: 1000 ** 3,
    gb: gibibyte,
    gi: gibibyte,
    t: 1000 ** 4,
    tb: 1024 ** 4,
    ti: 1024 ** 4,
  };
  return Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1);
}

/** Parses a CPU quantity: cores as a number, or `500m`, `2`. */
export function parseCpu(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)(m)?$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) / (match[2] ? 1000 : 1);
}

const settingValue = z.union([z.string().min(1), z.number()]);
const configSet = z.object({ parameter: z.string().min(1), value: settingValue });

/** An action type the mock actuator supports: the entry kinds it applies to and its parameters. */
export interface ActionType {
  /** The dotted type. */
  type: string;
  /** Entry kinds it applies to. */
  kinds: readonly ServiceKind[];
  /** What it does. */
  description: string;
  /** Its parameters. */
  parameters: z.ZodType<Record<string, unknown>>;
}

/** Every action type the mock actuator supports. */
export const actionTypes: readonly ActionType[] = [
  {
    type: 'redis.config-set',
    kinds: ['redis'],
    description: 'CONFIG SET parameter value',
    parameters: configSet,
  },
  { type: 'redis.memory-purge', kinds: ['redis'], description: 'MEMORY PURGE', parameters: z.object({}) },
  {
    type: 'postgres.config-set',
    kinds: ['postgres'],
    description: 'ALTER SYSTEM SET parameter = value; reload',
    parameters: configSet,
  },
  {
    type: 'postgres.terminate-idle',
    kinds: ['postgres'],
    description: 'terminate sessions idle in transaction',
    parameters: z.object({ olderThanSeconds: z.number().positive().optional() }),
  },
  {
    type: 'postgres.terminate-blocking',
    kinds: ['postgres'],
    description: 'terminate the sessions blocking others',
    parameters: z.object({ pid: z.number().int().positive().optional() }),
  },
  {
    type: 'postgres.analyze',
    kinds: ['postgres'],
    description: 'ANALYZE (refresh planner statistics)',
    parameters: z.object({ table: z.string().min(1).optional() }),
  },
  {
    type: 'deployment.rollback',
    kinds: ['service'],
    description: 'roll the Deployment back to its previous version',
    parameters: z.object({ toVersion: z.string().min(1).optional() }),
  },
  {
    type: 'deployment.restart',
    kinds: ['service', 'redis', 'postgres', 'queue'],
    description: 'rollout restart',
    parameters: z.object({}),
  },
  {
    type: 'deployment.set-resources',
    kinds: ['service', 'redis', 'postgres'],
    description: 'change CPU and memory limits (per pod)',
    parameters: z
      .object({
        cpu: settingValue
          .optional()
          .refine(
            (value) => value === undefined || parseCpu(value) !== undefined,
            'expected cores like 2 or 500m',
          ),
        memory: settingValue
          .optional()
          .refine(
            (value) => value === undefined || parseMemory(value) !== undefined,
            'expected a size like 2Gi',
          ),
      })
      .refine((value) => value.cpu !== undefined || value.memory !== undefined, 'give cpu, memory or both'),
  },
  {
    type: 'deployment.scale',
    kinds: ['service'],
    description: 'set the number of replicas',
    parameters: z.object({ replicas: z.number().int().min(1).max(1000) }),
  },
  {
    type: 'config.revert',
    kinds: ['service'],
    description: 'revert the last ConfigMap change',
    parameters: z.object({ key: z.string().min(1).optional() }),
  },
  {
    type: 'cronjob.reschedule',
    kinds: ['cronjob'],
    description: 'change the schedule (stops the active job)',
    parameters: z.object({
      schedule: z
        .string()
        .refine(
          (text) => typeof parseCronSchedule(text) !== 'string',
          'expected a 5-field cron schedule like "30 4 * * *"',
        ),
    }),
  },
  {
    type: 'cronjob.suspend',
    kinds: ['cronjob'],
    description: 'suspend the CronJob (stops the active job)',
    parameters: z.object({}),
  },
  {
    type: 'volume.expand',
    kinds: ['service', 'redis', 'postgres'],
    description: 'grow the data volume to sizeGi',
    parameters: z.object({ sizeGi: z.number().positive().max(65_536) }),
  },
];

/** The action type named `type`, if supported. */
export function actionType(type: string): ActionType | undefined {
  return actionTypes.find((candidate) => candidate.type === type);
}
