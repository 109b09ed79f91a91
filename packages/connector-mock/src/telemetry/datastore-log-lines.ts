import type { LogRecord } from '@aisre/core';
import type { Simulation } from '../simulation/simulation';
import type { ErrorCode } from '../simulation/simulation-types';
import type { ModelEntity } from '../simulation/system-model';
import { databaseName, jobName, podName } from './naming';
import type { StepLog } from './step-log';

/** What a postgres writes in one step: refused connections, lock waits, slow statements, disk errors, dumps. */
export function postgresLines(simulation: Simulation, entity: ModelEntity, log: StepLog, step: number): void {
  const random = log.random;
  const pod = podName(entity, 0);
  const state = simulation.postgres(entity.index);
  const qps = simulation.inboundRate(entity.index)[step] ?? 0;
  const stepSeconds = simulation.model.stepMs / 1000;
  const health = simulation.health(entity.index);
  const add = (level: LogRecord['level'], message: string, code?: string) =>
    log.add({ level, message, attributes: { 'db.system': 'postgresql', ...(code ? { code } : {}) } }, pod);
  const ratio = (code: ErrorCode) => health.causes.find((cause) => cause.code === code)?.ratio[step] ?? 0;
  for (
    let count = random.count(Math.min(6, ratio('pg-too-many-clients') * qps * stepSeconds * 0.01));
    count > 0;
    count--
  ) {
    add('fatal', 'sorry, too many clients already', '53300');
  }
  const slow = simulation.strength(entity.index, 'db.slow-queries')[step] ?? 0;
  const cause = simulation.faultsOn(entity.index, 'db.slow-queries')[0]?.params.cause;
  if (cause === 'lock-contention') {
    for (let count = random.count(slow * 3); count > 0; count--) {
      add(
        'info',
        `process ${random.integer(1000, 60000)} still waiting for ShareLock on transaction ${random.integer(1_000_000, 9_999_999)} after 1000.${random.integer(10, 999)} ms`,
      );
    }
    for (
      let count = random.count(Math.min(5, ratio('pg-lock-timeout') * qps * stepSeconds * 0.01));
      count > 0;
      count--
    ) {
      add('error', 'canceling statement due to lock timeout', '55P03');
    }
  } else if (cause === 'bad-plan') {
    const table = `${random.pick(['orders', 'items', 'events', 'accounts'])}`;
    for (let count = random.count(slow * 4); count > 0; count--) {
      add(
        'info',
        `duration: ${random.integer(1500, 9000)}.${random.integer(100, 999)} ms  execute <unnamed>: SELECT * FROM ${table} WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 50`,
      );
    }
    for (
      let count = random.count(Math.min(5, ratio('pg-statement-timeout') * qps * stepSeconds * 0.01));
      count > 0;
      count--
    ) {
      add('error', 'canceling statement due to statement timeout', '57014');
    }
  }
  for (
    let count = random.count(Math.min(4, (state.deadlocksPerSecond[step] ?? 0) * stepSeconds));
    count > 0;
    count--
  ) {
    add(
      'error',
      `deadlock detected: Process ${random.integer(1000, 60000)} waits for ShareLock on transaction ${random.integer(1_000_000, 9_999_999)}; blocked by process ${random.integer(1000, 60000)}.`,
      '40P01',
    );
  }
  const full = ratio('pg-disk-full');
  for (let count = random.count(Math.min(5, full * 6)); count > 0; count--) {
    add(
      'error',
      `could not extend file "base/16384/${random.integer(16_000, 99_000)}": No space left on device`,
      '53100',
    );
  }
  if (full > 0 && (health.causes.find((item) => item.code === 'pg-disk-full')?.ratio[step - 1] ?? 0) === 0) {
    add(
      'fatal',
      `could not write to file "pg_wal/xlogtemp.${random.integer(100, 999)}": No space left on device`,
      '53100',
    );
  }
  const jobs = simulation.jobLoad(entity.index)[step] ?? 0;
  if (jobs > 0) {
    const table = `${random.pick(['orders', 'items', 'events', 'accounts', 'sessions'])}`;
    for (let count = random.count(Math.min(3, 0.15 + jobs * 0.3)); count > 0; count--) {
      add(
        'info',
        `duration: ${random.integer(20_000, 400_000)}.${random.integer(100, 999)} ms  statement: COPY public.${table} TO stdout;`,
      );
    }
    for (let count = random.count(Math.max(0, jobs - 0.2) * 0.5); count > 0; count--) {
      add(
        'info',
        `process ${random.integer(1000, 60000)} still waiting for RowExclusiveLock on relation ${random.integer(16_000, 99_000)} of database ${databaseName(entity)} after 1000.${random.integer(10, 999)} ms`,
      );
    }
  }
}

/** What a redis writes in one step: failed snapshots, slow AOF fsync and fork copy-on-write during job runs. */
export function redisLines(simulation: Simulation, entity: ModelEntity, log: StepLog, step: number): void {
  const random = log.random;
  const pod = podName(entity, 0);
  const add = (level: LogRecord['level'], message: string) =>
    log.add({ level, message, attributes: { 'db.system': 'redis' } }, pod);
  const health = simulation.health(entity.index);
  const full = health.causes.find((cause) => cause.code === 'redis-misconf')?.ratio[step] ?? 0;
  for (let count = random.count(Math.min(4, full * 8)); count > 0; count--) {
    add(
      'error',
      random.next() < 0.5
        ? 'Write error saving DB on disk: No space left on device'
        : 'Background saving error',
    );
  }
  const jobs = simulation.jobLoad(entity.index)[step] ?? 0;
  if (jobs > 0.5) {
    for (let count = random.count(Math.min(2, jobs * 0.2)); count > 0; count--) {
      add(
        'warn',
        'Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.',
      );
    }
    const used = (simulation.redis(entity.index).usedBytes[step] ?? 0) / 1024 ** 2;
    for (let count = random.count(0.15); count > 0; count--) {
      add(
        'info',
        `Fork CoW for RDB: current ${Math.round(used * 0.2)} MB, peak ${Math.round(used * 0.25)} MB, average ${Math.round(used * 0.12)} MB`,
      );
    }
  }
}

/** What a cronjob writes in one step: run starts and ends. */
export function cronjobLines(simulation: Simulation, entity: ModelEntity, log: StepLog, step: number): void {
  const at = simulation.timeAt(step);
  for (const run of simulation.jobRuns(entity.index)) {
    const pod = `${jobName(entity, run.startMs)}-${simulation.random(`job-pod|${entity.ref}|${run.startMs}`).hex(5)}`;
    if (run.startMs > at - simulation.model.stepMs && run.startMs <= at) {
      log.add(
        {
          level: 'info',
          message: `${entity.name} started`,
          attributes: { job: jobName(entity, run.startMs) },
        },
        pod,
      );
    }
    if (run.endMs > at - simulation.model.stepMs && run.endMs <= at) {
      const seconds = Math.round((run.endMs - run.startMs) / 1000);
      log.add(
        run.stopped
          ? {
              level: 'warn',
              message: `${entity.name} terminated after ${seconds}s (job deleted)`,
              attributes: { job: jobName(entity, run.startMs) },
            }
          : {
              level: 'info',
              message: `${entity.name} finished in ${seconds}s`,
              attributes: { job: jobName(entity, run.startMs) },
            },
        pod,
      );
    }
  }
}
