import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresConnector } from '@aisre/connector-postgres';
import { createAlertmanagerReceiver, createPrometheusConnector } from '@aisre/connector-prometheus';
import { createRedisConnector } from '@aisre/connector-redis';
import {
  type ApprovalGate,
  type Connector,
  createAwareness,
  createCallContext,
  createInMemoryApprovalHistory,
  createInvestigator,
  createResolver,
  defaultPolicy,
  type EntityRef,
  type Notification,
  type ResolutionResult,
  type ResponseResult,
  type Signal,
  systemClock,
  type VerificationResult,
} from '@aisre/core';

/** The faults the lab can inject for real (docs/lab.md). */
export type LabFault = 'redis-memory' | 'postgres-connections';

/** Where the lab's servers are, from the `AISRE_LAB_*` variables that `scripts/lab/with-lab.sh` exports. */
export interface LabEnvironment {
  /** Prometheus, scraping every second. */
  prometheusUrl: string;
  /** The lab's Redis (password in the URL). */
  redisUrl: string;
  /** The lab's PostgreSQL. */
  postgresUrl: string;
  /** The port Alertmanager posts its webhooks to. */
  webhookPort: number;
  /** The entity ref of the Redis. */
  redisEntity: EntityRef;
  /** The entity ref of the PostgreSQL. */
  postgresEntity: EntityRef;
  /** The Redis port, for the write traffic. */
  redisPort: string;
}

/** What one fault did, end to end, with when each thing happened (epoch ms). */
export interface FaultRun {
  /** The fault. */
  fault: LabFault;
  /** When it was injected, when the firing webhook arrived, when the report was ready, when the fault was removed, when the resolved webhook arrived. */
  timings: { injectedAt: number; firingAt: number; reportAt: number; removedAt: number; resolvedAt: number };
  /** The firing alert, as a signal. */
  firing: Signal;
  /** The resolved alert, as a signal. */
  resolved: Signal;
  /** Triage, the investigation's report, the decision after it, and the escalation. */
  response: ResponseResult;
  /** The escalations the notifier received. */
  escalations: Notification[];
  /** Proposals decided by policy and the approver, and what was applied. */
  resolution?: ResolutionResult;
  /** How the symptom moved after the change. */
  verification?: VerificationResult;
}

/** The lab, opened: connectors, the webhook receiver, awareness. */
export interface LiveLab {
  /** Injects a fault, follows it through the SDK, removes it, and waits for the resolved notification. */
  run(fault: LabFault): Promise<FaultRun>;
  /** Stops the receiver and closes the connectors. */
  close(): Promise<void>;
}

const alertOf: Record<LabFault, string> = {
  'redis-memory': 'RedisMemoryHigh',
  'postgres-connections': 'PostgresConnectionsHigh',
};

const labScript = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts', 'lab', 'lab.sh');

/**
 * Reads where the lab is. Throws a clear error when it is not running (start it with `scripts/lab/with-lab.sh`).
 *
 * @param env - the environment (default `process.env`)
 */
export function labEnvironment(env: NodeJS.ProcessEnv = process.env): LabEnvironment {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) {
      throw new Error(
        `live-lab: ${name} is not set: start the lab first (bash scripts/lab/with-lab.sh <command>, see docs/lab.md)`,
      );
    }
    return value;
  };
  return {
    prometheusUrl: need('AISRE_LAB_PROMETHEUS_URL'),
    redisUrl: need('AISRE_LAB_REDIS_URL'),
    postgresUrl: need('AISRE_LAB_POSTGRES_URL'),
    webhookPort: Number(need('AISRE_LAB_WEBHOOK_PORT')),
    redisEntity: need('AISRE_LAB_REDIS_ENTITY') as EntityRef,
    postgresEntity: need('AISRE_LAB_POSTGRES_ENTITY') as EntityRef,
    redisPort: need('AISRE_LAB_REDIS_PORT'),
  };
}

function lab(...args: string[]): void {
  execFileSync('bash', [labScript, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A notifier that keeps what it is sent, standing in for the host's pager or chat. */
function collectingNotifier(sent: Notification[], log: (line: string) => void): Connector {
  return {
    name: 'pager',
    tools: [],
    capabilities: {
      notifier: {
        async notify(notification) {
          sent.push(notification);
          log(`escalation: ${notification.title}`);
          return { delivered: true, id: `page-${sent.length}` };
        },
      },
    },
  };
}

/** The on-call engineer: approves raising Redis's memory limit as a team lead, refuses everything else. */
const onCallEngineer: ApprovalGate = {
  async request(request) {
    const { action } = request.proposal;
    const approved = action.type === 'redis.config-set' && action.parameters.parameter === 'maxmemory';
    return {
      approved,
      approver: 'on-call engineer (live-lab)',
      roles: ['team-lead', 'on-call'],
      ...(approved ? {} : { reason: 'not this change: the fault is removed by hand' }),
    };
  },
};

/**
 * Opens the lab: Prometheus for every entity's history and the alerts, direct Redis and PostgreSQL connectors
 * for their own logs, tools and actions, the Alertmanager webhook receiver on the lab's webhook port, and
 * awareness deciding what each alert deserves and investigating through all three connectors.
 *
 * @param options - the lab's environment and where to log
 */
export async function openLiveLab(options: {
  env: LabEnvironment;
  log: (line: string) => void;
}): Promise<LiveLab> {
  const { env, log } = options;
  const prometheus = createPrometheusConnector({ baseURL: env.prometheusUrl, scrapeIntervalMs: 1000 });
  const redis = createRedisConnector({ url: env.redisUrl, entity: env.redisEntity });
  const postgres = createPostgresConnector({ connectionString: env.postgresUrl, entity: env.postgresEntity });
  const stopSampling = [
    redis.sampler.start({ intervalMs: 1000 }),
    postgres.sampler.start({ intervalMs: 1000 }),
  ];
  const escalations: Notification[] = [];
  // Prometheus first: it has the longest history of every entity. The lab's alert rules fire after 5 s, so
  // the investigation reads the last 10 s against the minutes before.
  const connectors: Connector[] = [prometheus, redis, postgres, collectingNotifier(escalations, log)];
  const investigator = createInvestigator({
    connectors,
    clock: systemClock,
    lookbackMs: 5 * 60_000,
    recentWindowMs: 10_000,
  });
  const awareness = createAwareness({
    connectors,
    clock: systemClock,
    // The same compressed time for triage: out of range for 5 s, like the rules' `for:`, is sustained.
    symptomTiming: { sustainedAfterMs: 5_000, recentMs: 5_000 },
    // This host wants a look at any sustained P3 on its databases, even with nothing known to depend on them
    // (the lab has no services): by default such a P3 scores 0.36 and is only watched.
    thresholds: { P3: { investigate: 0.35 } },
    investigate: (trigger, budget) => investigator.investigate(trigger, { budget }),
  });

  const received: Signal[] = [];
  const receiver = createAlertmanagerReceiver({
    onSignal: (signal) => {
      received.push(signal);
      log(`webhook: ${signal.labels.alertname} ${signal.status} on ${signal.entity} (${signal.severity})`);
    },
  });
  const server: Server = createServer(receiver.handle);
  await new Promise<void>((resolve) => server.listen(env.webhookPort, '127.0.0.1', resolve));

  /** The first webhook of this alert and status that belongs to this fault (later than `since`). */
  const waitFor = async (alert: string, status: 'firing' | 'resolved', since: number): Promise<Signal> => {
    const timeoutMs = 90_000;
    const deadline = Date.now() + timeoutMs;
    const when = (signal: Signal) =>
      status === 'firing' ? Date.parse(signal.at) : Date.parse(String(signal.payload.endsAt ?? signal.at));
    for (;;) {
      const signal = received.find(
        (candidate) =>
          candidate.labels.alertname === alert &&
          candidate.status === status &&
          when(candidate) >= since - 1000,
      );
      if (signal) return signal;
      if (Date.now() > deadline)
        throw new Error(`live-lab: no ${status} ${alert} webhook within ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  };

  return {
    async run(fault) {
      const alert = alertOf[fault];
      const sentBefore = escalations.length;
      log(`fault: ${fault}`);
      const injectedAt = Date.now();
      let traffic: ChildProcess | undefined;
      if (fault === 'redis-memory') {
        lab('fault', 'redis-memory');
        // The cache keeps taking writes, as a cache under traffic does: every write now evicts a key.
        traffic = spawn(
          'redis-benchmark',
          [
            '-p',
            env.redisPort,
            '-a',
            'aisre-lab',
            '-t',
            'set',
            '-n',
            '100000000',
            '-r',
            '10000000',
            '-d',
            '1024',
            '-c',
            '1',
            '-q',
          ],
          { stdio: 'ignore' },
        );
      } else {
        lab('fault', 'postgres-connections', '16', 'idle-in-transaction');
      }
      try {
        const firing = await waitFor(alert, 'firing', injectedAt);
        const firingAt = Date.now();
        const handled = await awareness.handle(firing);
        const response = handled.response;
        if (!response) throw new Error(`live-lab: awareness did not respond to ${firing.id}`);
        const reportAt = Date.now();
        const { report } = response;
        log(
          `triage reasons (score ${response.triage.score.toFixed(2)}): ${response.triage.reasons
            .map(
              (reason) =>
                `${reason.factor} ${reason.weight >= 0 ? '+' : ''}${reason.weight.toFixed(2)} ${reason.detail}`,
            )
            .join('; ')}`,
        );
        log(
          `triage: ${response.triage.decision}, after the investigation: ${response.decision.decision}; report: ${
            report?.conclusion
              ? `${report.conclusion.fault} on ${report.conclusion.entity} (${Math.round(report.conclusion.confidence * 100)} %)`
              : (report?.ending.kind ?? 'none')
          }`,
        );
        let resolution: ResolutionResult | undefined;
        let appliedAt: number | undefined;
        const resolver = createResolver({
          connectors,
          policy: defaultPolicy,
          environment: 'staging',
          gate: onCallEngineer,
          history: createInMemoryApprovalHistory(),
          clock: systemClock,
        });
        if (report?.conclusion) {
          resolution = await resolver.resolve(report);
          for (const record of resolution.records)
            log(`proposal: ${record.title}: ${record.decision} → ${record.outcome}`);
          if (resolution.applied.length > 0) appliedAt = Date.now();
        }
        traffic?.kill();
        traffic = undefined;
        const removedAt = Date.now();
        lab('heal', fault);
        const resolved = await waitFor(alert, 'resolved', removedAt);
        const resolvedAt = Date.now();
        let verification: VerificationResult | undefined;
        if (report && resolution && appliedAt !== undefined) {
          // Watch the symptom for a while after the change (ten scrapes), then say how it moved.
          const windowMs = 10_000;
          await sleep(Math.max(0, appliedAt + windowMs - Date.now()));
          verification = await resolver.verify(report, { appliedAt, windowMs });
          log(`verification: ${verification.outcome}: ${verification.summary}`);
          // The lab is shared by the next fault: undo the change (its rollback action), as one would after.
          for (const applied of resolution.applied) {
            const rollback = applied.proposal.rollback;
            if (typeof rollback !== 'string') {
              await redis.capabilities.actuator?.apply(rollback, { dryRun: false }, createCallContext());
            }
          }
        }
        return {
          fault,
          timings: { injectedAt, firingAt, reportAt, removedAt, resolvedAt },
          firing,
          resolved,
          response,
          escalations: escalations.slice(sentBefore),
          ...(resolution ? { resolution } : {}),
          ...(verification ? { verification } : {}),
        };
      } finally {
        traffic?.kill();
      }
    },
    async close() {
      for (const stop of stopSampling) stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([redis.close(), postgres.close()]);
    },
  };
}
