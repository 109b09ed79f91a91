import type { RemediationAction } from '@aisre/core';
import type { CronSchedule } from '../scenario/cron-schedule';

/** Settings of an entity that remediation actions can change. */
export interface EntitySettings {
  /** Pods. */
  replicas: number;
  /** CPU limit per pod, cores. */
  cpuLimitCores: number;
  /** Memory limit per pod, bytes. */
  memoryLimitBytes: number;
  /** Redis maxmemory, bytes. */
  maxMemoryBytes: number;
  /** Postgres max_connections. */
  maxConnections: number;
  /** Volume size, bytes. */
  volumeCapacityBytes: number;
}

/** An applied remediation action and what it does to the simulated system. */
export interface Intervention {
  /** The action. */
  action: RemediationAction;
  /** When it was applied, epoch milliseconds. */
  atMs: number;
  /** The target entity index. */
  target: number;
  /** Faults it ends, with how long recovery takes. */
  mitigates: { fault: number; recoveryMs: number }[];
  /** True when the target's pods restart (rollout restart, rollback, new resources). */
  restartsPods: boolean;
  /** Settings it changes from `atMs` on. */
  settings: Partial<EntitySettings>;
  /** For cronjobs: the new schedule from `atMs` on, or `null` when suspended. */
  schedule?: CronSchedule | null;
}
