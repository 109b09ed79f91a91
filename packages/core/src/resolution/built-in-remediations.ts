import {
  connectionPoolSaturationRemediation,
  redisFragmentationRemediation,
  redisMemoryPressureRemediation,
  slowQueriesRemediation,
} from './datastore-remediations';
import { dependencyTimeoutRemediation, networkLatencyRemediation } from './network-remediations';
import type { RemediationCatalogueEntry } from './remediation-catalogue';
import {
  badConfigRemediation,
  badReleaseRemediation,
  cpuSaturationRemediation,
  cronjobContentionRemediation,
  diskFullRemediation,
  memoryLeakRemediation,
} from './workload-remediations';

/** The faults the built-in remediation catalogue covers (the built-in failure patterns' faults). */
export type BuiltInRemediationFault =
  | 'redis.memory-fragmentation'
  | 'redis.memory-pressure'
  | 'db.connection-pool-saturation'
  | 'db.slow-queries'
  | 'deploy.bad-release'
  | 'config.bad-change'
  | 'cpu.saturation'
  | 'memory.leak'
  | 'disk.full'
  | 'network.latency'
  | 'dependency.timeout'
  | 'cronjob.resource-contention';

/**
 * The built-in remediation catalogue, keyed by fault. Each entry turns a conclusion into proposals with the
 * exact change, a risk level, a rollback plan and the evidence citations behind it; sizes (`maxmemory`,
 * `max_connections`, replicas, limits, volume size) follow the rules in docs/policies.md. Extend or replace
 * entries with {@link createRemediationCatalogue}.
 */
export const builtInRemediations: Readonly<Record<BuiltInRemediationFault, RemediationCatalogueEntry>> =
  Object.freeze({
    'redis.memory-fragmentation': redisFragmentationRemediation,
    'redis.memory-pressure': redisMemoryPressureRemediation,
    'db.connection-pool-saturation': connectionPoolSaturationRemediation,
    'db.slow-queries': slowQueriesRemediation,
    'deploy.bad-release': badReleaseRemediation,
    'config.bad-change': badConfigRemediation,
    'cpu.saturation': cpuSaturationRemediation,
    'memory.leak': memoryLeakRemediation,
    'disk.full': diskFullRemediation,
    'network.latency': networkLatencyRemediation,
    'dependency.timeout': dependencyTimeoutRemediation,
    'cronjob.resource-contention': cronjobContentionRemediation,
  });
