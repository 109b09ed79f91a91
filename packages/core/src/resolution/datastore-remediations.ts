import type { EntityRef } from '../contracts/entity-ref';
import type { RemediationAction, RemediationProposal } from '../contracts/remediation';
import type { RankedCause, Report } from '../contracts/report';
import { lowLoadSchedule } from './low-load-schedule';
import type { RemediationCatalogueEntry } from './remediation-catalogue';
import { createRemediationProposal } from './remediation-proposals';
import { currentSetting, mebibyte, raised } from './remediation-sizing';
import { latestMetricValue, textAttribute, topologyAttributes, topologyNeighbours } from './report-facts';

const configSet = (
  type: 'redis.config-set' | 'postgres.config-set',
  target: EntityRef,
  parameter: string,
  value: string | number,
): RemediationAction => ({ type, target, parameters: { parameter, value } });

function rescheduleJob(conclusion: RankedCause, report: Report, job: EntityRef): RemediationProposal {
  const current = textAttribute(topologyAttributes(report, job), ['schedule']);
  const schedule = lowLoadSchedule(Date.parse(report.trigger.at), current);
  return createRemediationProposal(conclusion, report, {
    title: `Move the scheduled job ${job} to a quiet time (${schedule} UTC)`,
    type: 'cronjob.reschedule',
    target: job,
    parameters: { schedule },
    risk: 'low',
    rollback: current
      ? { type: 'cronjob.reschedule', target: job, parameters: { schedule: current } }
      : `reschedule ${job} back to its previous schedule (read it before applying)`,
    rationale: `${job} uses ${conclusion.entity}; running it at a quiet time keeps its load away from the hours the incident struck. The time is the built-in rule's choice: check it against your traffic.`,
  });
}

/** `redis.memory-fragmentation`: enable active defragmentation; move jobs using the instance to a quiet time. */
export const redisFragmentationRemediation: RemediationCatalogueEntry = {
  fault: 'redis.memory-fragmentation',
  propose(conclusion, report) {
    const target = conclusion.entity;
    const jobs = topologyNeighbours(report, target, 'cronjob').filter((job) => job.direction === 'in');
    return [
      createRemediationProposal(conclusion, report, {
        title: `Enable active defragmentation on ${target}`,
        type: 'redis.config-set',
        parameters: { parameter: 'activedefrag', value: 'yes' },
        risk: 'low',
        rollback: configSet('redis.config-set', target, 'activedefrag', 'no'),
        rationale:
          'Active defragmentation compacts fragmented memory online at a small CPU cost, and can be switched off again at once.',
      }),
      ...jobs.map((job) => rescheduleJob(conclusion, report, job.ref)),
    ];
  },
};

/** `redis.memory-pressure`: raise `maxmemory` by 25 %; change the eviction policy. */
export const redisMemoryPressureRemediation: RemediationCatalogueEntry = {
  fault: 'redis.memory-pressure',
  propose(conclusion, report) {
    const target = conclusion.entity;
    const proposals: RemediationProposal[] = [];
    const current = currentSetting(report, target, [
      { attribute: 'maxmemory' },
      { attribute: 'maxMemoryBytes' },
      { attribute: 'maxMemoryMb', unit: mebibyte },
      { metric: 'redis_memory_max_bytes' },
      { metric: 'redis_memory_used_bytes', usage: true },
    ]);
    if (current) {
      const value = raised(current.value, 1.25, mebibyte);
      proposals.push(
        createRemediationProposal(conclusion, report, {
          title: `Raise maxmemory of ${target} to ${Math.round(value / mebibyte)} MiB`,
          type: 'redis.config-set',
          parameters: { parameter: 'maxmemory', value },
          risk: 'medium',
          rollback:
            current.source === 'limit'
              ? configSet('redis.config-set', target, 'maxmemory', current.value)
              : `set maxmemory of ${target} back to its previous value (CONFIG GET maxmemory before applying)`,
          rationale: `The data set is at its memory limit and keys are evicted; 25 % more room (from ${current.from}: ${Math.round(current.value / mebibyte)} MiB) stops the evictions if the host has the memory.`,
        }),
      );
    }
    const policy = textAttribute(topologyAttributes(report, target), [
      'maxmemoryPolicy',
      'maxmemory-policy',
      'evictionPolicy',
    ]);
    const next = policy === 'allkeys-lru' ? 'allkeys-lfu' : 'allkeys-lru';
    proposals.push(
      createRemediationProposal(conclusion, report, {
        title: `Set the eviction policy of ${target} to ${next}`,
        type: 'redis.config-set',
        parameters: { parameter: 'maxmemory-policy', value: next },
        risk: 'medium',
        rollback: policy
          ? configSet('redis.config-set', target, 'maxmemory-policy', policy)
          : `set maxmemory-policy of ${target} back to its previous value (CONFIG GET maxmemory-policy before applying)`,
        rationale: `${next} evicts the least ${next === 'allkeys-lru' ? 'recently' : 'frequently'} used keys of the whole key space instead of refusing writes or evicting only keys with a TTL. Needs a human: only right when every key is a cache entry.`,
      }),
    );
    return proposals;
  },
};

/** `db.connection-pool-saturation`: terminate idle-in-transaction sessions; raise `max_connections` by 25 %. */
export const connectionPoolSaturationRemediation: RemediationCatalogueEntry = {
  fault: 'db.connection-pool-saturation',
  propose(conclusion, report) {
    const target = conclusion.entity;
    const idle = latestMetricValue(report, target, 'pg_stat_activity_count', {
      state: 'idle in transaction',
    });
    const proposals = [
      createRemediationProposal(conclusion, report, {
        title: `Terminate sessions of ${target} idle in a transaction for over 60 s`,
        type: 'postgres.terminate-idle',
        parameters: { olderThanSeconds: 60 },
        risk: 'medium',
        rollback:
          'nothing to undo: terminated sessions reconnect; their open transactions were rolled back and their clients retry',
        rationale: `Sessions idle in a transaction hold connections without doing work${idle === undefined ? '' : ` (${Math.round(idle)} of them at the last reading)`}; terminating them frees connections now. Find the client that leaves transactions open.`,
      }),
    ];
    const current = currentSetting(report, target, [
      { attribute: 'maxConnections' },
      { attribute: 'max_connections' },
      { metric: 'pg_settings_max_connections' },
      { metric: 'pg_stat_database_numbackends', usage: true },
    ]);
    if (current) {
      const value = raised(current.value, 1.25, 10);
      proposals.push(
        createRemediationProposal(conclusion, report, {
          title: `Raise max_connections of ${target} to ${value}`,
          type: 'postgres.config-set',
          parameters: { parameter: 'max_connections', value },
          risk: 'medium',
          rollback:
            current.source === 'limit'
              ? configSet('postgres.config-set', target, 'max_connections', current.value)
              : `set max_connections of ${target} back to its previous value (SHOW max_connections before applying)`,
          rationale: `Clients are refused connections; 25 % more (from ${current.from}: ${Math.round(current.value)}) gives headroom. It takes effect after a restart and every connection costs memory.`,
        }),
      );
    }
    return proposals;
  },
};

/** `db.slow-queries`: terminate the sessions blocking others; refresh planner statistics. */
export const slowQueriesRemediation: RemediationCatalogueEntry = {
  fault: 'db.slow-queries',
  propose(conclusion, report) {
    return [
      createRemediationProposal(conclusion, report, {
        title: `Terminate the sessions of ${conclusion.entity} that block others for over 30 s`,
        type: 'postgres.terminate-blocking',
        parameters: { olderThanSeconds: 30 },
        risk: 'medium',
        rollback:
          'nothing to undo: the terminated transactions were rolled back; their clients retry or report an error',
        rationale:
          'Lock contention makes every query that waits on the blocking session slow; ending that session releases its locks. Needs a human: check what the blocking session was doing first.',
      }),
      createRemediationProposal(conclusion, report, {
        title: `Refresh the planner statistics of ${conclusion.entity} (ANALYZE)`,
        type: 'postgres.analyze',
        parameters: {},
        risk: 'low',
        rollback: 'nothing to undo: ANALYZE only refreshes statistics',
        rationale:
          'Stale statistics give bad plans; ANALYZE refreshes them. Review the slowest statements (pg_stat_statements) with a human: an index or a query fix may be needed.',
      }),
    ];
  },
};
