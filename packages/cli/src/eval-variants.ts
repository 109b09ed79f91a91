import {
  type FaultType,
  faultTypes,
  type ParameterValue,
  parseScenario,
  type Scenario,
  type ScenarioDecision,
  type ScenarioNoise,
  type ServiceKind,
} from '@aisre/connector-mock';
import type { EntityRef, Severity } from '@aisre/core';
import {
  type AlertRule,
  firstFiring,
  type LimitReached,
  limitsReached,
  type WatchedSeries,
} from './eval-variant-telemetry';
import { kindOf, randomSystem, SeededRandom, upstreamOf, type VariantSystem } from './eval-variant-topology';

const minute = 60_000;
const hour = 60 * minute;
/** How far ahead hindsight looks for a limit: the rubric's "before the team's next working day". */
export const urgentAheadMs = 8 * hour;

/** What a generated variant is: a real fault, or one of the kinds of noise the rubric tells apart. */
export type VariantCase = 'fault' | 'blip' | 'rollout' | 'flap' | 'shift' | 'quiet';

/** A generated scenario, its case and why its expected decision is what it is. */
export interface ScenarioVariant {
  /** The scenario, with `expect` set from the rubric. */
  scenario: Scenario;
  /** What it is. */
  case: VariantCase;
  /** The rubric line that decided the expectation. */
  why: string;
}

/** Options of {@link generateScenarioVariants}. */
export interface VariantOptions {
  /** The seed: the same seed gives the same variants. */
  seed: number;
  /** How many. */
  count: number;
}

/**
 * The decision the rubric of docs/awareness.md expects for a case, from what is true (the case, the alert's
 * severity, and for a fault the limits its target reaches, read from the simulation's future).
 *
 * @param kind - the case
 * @param severity - the alert's severity
 * @param limits - for a fault: the limits its target is at, or reaches within {@link urgentAheadMs}
 */
export function rubricDecision(
  kind: VariantCase,
  severity: Severity,
  limits: readonly LimitReached[] = [],
): { decision: ScenarioDecision; why: string } {
  const paging = severity === 'P1' || severity === 'P2';
  switch (kind) {
    case 'fault': {
      // Every real fault reaches a human with its evidence; the urgency says how soon.
      if (paging)
        return { decision: 'escalate', why: `a real fault behind a ${severity}: page, with the evidence` };
      const ahead = limits.find((limit) => limit.breach === 'outage' && !limit.atTrigger);
      return ahead
        ? {
            decision: 'escalate',
            why: `a ${severity} fault that takes ${ahead.resource} to its limit within 8 h: page, with the evidence`,
          }
        : {
            decision: 'escalate',
            why: `a real ${severity} fault with no outage ahead: to the owning team for working hours, wake nobody`,
          };
    }
    case 'blip':
      return severity === 'P4' || severity === 'P5'
        ? { decision: 'ignore', why: `a ${severity} blip that goes away by itself` }
        : { decision: 'watch', why: `a ${severity} blip: keep an eye on it, wake nobody` };
    case 'rollout':
      return paging
        ? { decision: 'watch', why: `a ${severity} during the entity's own rollout: look again after it` }
        : { decision: 'ignore', why: `a ${severity} bump of the entity's own rollout` };
    case 'flap':
      return { decision: 'ignore', why: 'an alert that keeps firing and resolving by itself' };
    case 'shift':
      return { decision: 'watch', why: 'a lasting shift with no impact and no limit in sight' };
    case 'quiet':
      return { decision: 'ignore', why: `a ${severity} with nothing behind it` };
  }
}

/** A pascal-case word of an entry name (`orders-db` → `OrdersDb`). */
function pascal(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

type AlertKind =
  | 'latency'
  | 'errors'
  | 'memory'
  | 'cpu'
  | 'redis-memory'
  | 'slow-queries'
  | 'connections'
  | 'depth';

/** An alert of a kind on an entry: a name that says what it watches (as the symptom table reads it) and its series. */
function alertOf(
  kind: AlertKind,
  name: string,
  entityKind: ServiceKind,
): { alert: string; series: WatchedSeries } {
  const self = (metric: string, labels = {}) => ({ metric, labels, on: 'self' as const });
  switch (kind) {
    case 'errors':
      return {
        alert: `${pascal(name)}ErrorRateHigh`,
        series: self('http_server_requests_total', { status: '5xx' }),
      };
    case 'memory':
      return { alert: `${pascal(name)}MemoryHigh`, series: self('container_memory_working_set_bytes') };
    case 'cpu':
      return { alert: `${pascal(name)}CPUHigh`, series: self('container_cpu_usage_seconds_total') };
    case 'redis-memory':
      return { alert: 'RedisMemoryHigh', series: self('redis_memory_used_bytes') };
    case 'slow-queries':
      return { alert: 'PostgresSlowQueries', series: self('pg_stat_statements_mean_exec_time_seconds') };
    case 'connections':
      return { alert: 'PostgresConnectionsHigh', series: self('pg_stat_database_numbackends') };
    case 'depth':
      return { alert: 'QueueDepthHigh', series: self('rabbitmq_queue_messages_ready') };
    case 'latency':
      if (entityKind === 'redis')
        return { alert: 'RedisLatencyHigh', series: self('redis_latency_percentiles_usec') };
      if (entityKind === 'external')
        return {
          alert: `${pascal(name)}LatencyHigh`,
          series: {
            metric: 'http_client_request_duration_seconds',
            labels: { quantile: '0.99' },
            on: 'callers',
          },
        };
      return {
        alert: `${pascal(name)}LatencyHigh`,
        series: self('http_server_request_duration_seconds', { quantile: '0.99' }),
      };
  }
}

const alertKindsOf: Readonly<Record<ServiceKind, readonly AlertKind[]>> = {
  service: ['latency', 'errors', 'memory'],
  redis: ['latency', 'redis-memory'],
  postgres: ['slow-queries', 'connections'],
  queue: ['depth'],
  external: ['latency'],
  cronjob: [],
};

/** How far above its baseline a series must be for a fault's alert to fire. */
const faultRatio: Readonly<Record<AlertKind, number>> = {
  latency: 1.5,
  errors: 3,
  memory: 1.2,
  cpu: 1.5,
  'redis-memory': 1.1,
  'slow-queries': 2,
  connections: 1.5,
  depth: 3,
};

function randomParams(random: SeededRandom, type: FaultType): Record<string, ParameterValue> {
  const descriptor = faultTypes.find((one) => one.type === type);
  const params: Record<string, ParameterValue> = {};
  for (const param of descriptor?.params ?? []) {
    if (param.kind === 'choice' && param.choices) params[param.name] = random.pick(param.choices);
    if (param.kind !== 'number' || typeof param.default !== 'number') continue;
    const value = param.default * random.range(0.6, 1.6);
    const bounded = Math.min(param.maximum ?? value, Math.max(param.minimum ?? value, value));
    params[param.name] = Number.isInteger(param.default) ? Math.round(bounded) : Number(bounded.toFixed(4));
  }
  return params;
}

const refOf = (system: VariantSystem, name: string): EntityRef =>
  `${kindOf(system, name)}:${system.topology.namespace}/${name}` as EntityRef;

/** Background: unrelated deploys, config changes, flapping alerts, a chat message and a blip, away from `avoid`. */
function backgroundNoise(
  random: SeededRandom,
  system: VariantSystem,
  avoid: string,
  triggerMinute: number,
): ScenarioNoise[] {
  const names = [...system.entries.keys()].filter((name) => name !== avoid);
  const services = names.filter((name) => kindOf(system, name) === 'service');
  const noise: ScenarioNoise[] = [];
  const when = () => `+${random.int(Math.max(5, triggerMinute - 90), triggerMinute - 3)}m`;
  for (let count = random.int(0, 3); count > 0 && services.length > 0; count--)
    noise.push({ type: 'deploy', target: random.pick(services), at: when() });
  for (let count = random.int(0, 2); count > 0; count--)
    noise.push({
      type: 'config-change',
      target: random.pick(names.filter((name) => kindOf(system, name) !== 'external')),
      at: when(),
      params: { key: random.pick(['LOG_LEVEL', 'FEATURE_FLAGS', 'BATCH_SIZE', 'CACHE_TTL_SECONDS']) },
    });
  for (let count = random.int(0, 2); count > 0; count--) {
    const target = random.pick(names);
    noise.push({
      type: 'flapping-alert',
      target,
      at: `+${random.int(5, Math.max(6, triggerMinute - 60))}m`,
      params: {
        alert: `${pascal(target)}${random.pick(['ProbeFailed', 'ReplicaLag', 'CertificateExpiringSoon'])}`,
        severity: random.pick(['P3', 'P4', 'P5']),
        periodMinutes: random.int(10, 25),
        firingMinutes: random.int(2, 5),
        count: random.int(3, 8),
      },
    });
  }
  if (random.chance(0.5))
    noise.push({
      type: 'chat',
      target: random.pick(names),
      at: when(),
      params: {
        text: random.pick(['anyone seeing slowness?', 'deploy going out now', 'is the dashboard stale?']),
      },
    });
  const blippable = names.filter((name) => ['service', 'redis', 'postgres'].includes(kindOf(system, name)));
  if (random.chance(0.4) && blippable.length > 0)
    noise.push({
      type: 'anomaly',
      target: random.pick(blippable),
      at: when(),
      params: {
        signal: 'latency',
        durationMinutes: random.int(3, 8),
        magnitude: Number(random.range(1.5, 3).toFixed(2)),
      },
    });
  return noise;
}

function baseScenario(random: SeededRandom, system: VariantSystem, name: string, seed: number): Scenario {
  const day = random.int(1, 28);
  const month = random.int(1, 11);
  const start = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(random.int(0, 23)).padStart(2, '0')}:00:00Z`;
  return {
    name,
    seed,
    start,
    duration: '13h',
    step: '30s',
    topology: system.topology,
    traffic: system.traffic,
    faults: [],
    noise: [],
    trigger: { alert: 'Placeholder', entity: refOf(system, 'edge'), severity: 'P4', at: '+10m' },
  };
}

const at = (scenario: Scenario, offsetMinutes: number) => Date.parse(scenario.start) + offsetMinutes * minute;
/** Whole minutes from the scenario's start. */
const minutesOf = (scenario: Scenario, epochMs: number) =>
  Math.floor((epochMs - Date.parse(scenario.start)) / minute);
/** An offset from the scenario's start, in seconds (durations are whole numbers of one unit). */
const offset = (scenario: Scenario, epochMs: number) =>
  `+${Math.round((epochMs - Date.parse(scenario.start)) / 1000)}s`;

/**
 * True when some datastore other than `except` reaches a limit within 8 h of the trigger with no fault of its
 * own: a system sized too small for its traffic, which no rubric line can call noise. Such variants are dropped.
 */
async function missized(
  scenario: Scenario,
  system: VariantSystem,
  trigger: number,
  except?: string,
): Promise<boolean> {
  for (const [name, entry] of system.entries) {
    if (name === except || !['postgres', 'redis', 'queue'].includes(entry.kind)) continue;
    if ((await limitsReached(scenario, refOf(system, name), trigger, urgentAheadMs)).length > 0) return true;
  }
  return false;
}

/** A fault variant: a random fault, the first alert rule upstream that fires, and hindsight on its limits. */
async function faultVariant(
  random: SeededRandom,
  system: VariantSystem,
  scenario: Scenario,
): Promise<ScenarioVariant | undefined> {
  const names = [...system.entries.keys()];
  const options: [FaultType, string][] = [];
  for (const type of faultTypes)
    for (const name of names)
      if (type.targetKinds.includes(kindOf(system, name)))
        if (type.type !== 'cronjob.resource-contention' || system.entries.get(name)?.dependsOn?.length)
          options.push([type.type, name]);
  const [type, target] = random.pick(options);
  const startMinute = random.int(60, 150);
  scenario.faults = [{ type, target, start: `+${startMinute}m`, params: randomParams(random, type) }];
  const watched = (
    kindOf(system, target) === 'cronjob' ? (system.entries.get(target)?.dependsOn ?? []) : [target]
  )
    .flatMap((name) => upstreamOf(system, name, 3))
    .filter(([name]) => kindOf(system, name) !== 'cronjob');
  const candidates = random.sample(watched, watched.length);
  for (const [name] of candidates) {
    const entityKind = kindOf(system, name);
    for (const alertKind of random.sample(alertKindsOf[entityKind], alertKindsOf[entityKind].length)) {
      const { alert, series } = alertOf(alertKind, name, entityKind);
      const rule: AlertRule = { series, ratio: faultRatio[alertKind], forMs: random.int(3, 8) * minute };
      const fired = await firstFiring(scenario, refOf(system, name), rule, {
        baselineEnd: at(scenario, startMinute),
        from: at(scenario, startMinute + 1),
        until: at(scenario, startMinute + 240),
      });
      if (fired === undefined) continue;
      const severity = random.weighted<Severity>([
        ['P1', 1],
        ['P2', 4],
        ['P3', 5],
      ]);
      scenario.trigger = { alert, entity: refOf(system, name), severity, at: offset(scenario, fired) };
      scenario.noise = backgroundNoise(random, system, name, minutesOf(scenario, fired));
      if (await missized(scenario, system, fired, target)) return undefined;
      const limits = await limitsReached(scenario, refOf(system, target), fired, urgentAheadMs);
      const { decision, why } = rubricDecision('fault', severity, limits);
      scenario.expect = { rootCause: { entity: refOf(system, target), fault: type }, decision };
      return { scenario, case: 'fault', why: `${type} on ${target}, alert on ${name}: ${why}` };
    }
  }
  return undefined;
}

/** A noise variant of the given case. */
async function noiseVariant(
  random: SeededRandom,
  system: VariantSystem,
  scenario: Scenario,
  kind: Exclude<VariantCase, 'fault'>,
): Promise<ScenarioVariant | undefined> {
  const names = [...system.entries.keys()];
  const services = names.filter((name) => kindOf(system, name) === 'service');
  const minuteAt = random.int(100, 200);
  let target: string;
  let alertKind: AlertKind;
  let triggerAt: number;
  let severity: Severity;
  const own: ScenarioNoise[] = [];
  switch (kind) {
    case 'blip': {
      target = random.pick(
        names.filter((name) => ['service', 'redis', 'postgres'].includes(kindOf(system, name))),
      );
      const entityKind = kindOf(system, target);
      const signal =
        entityKind === 'service' ? random.pick(['latency', 'errors', 'cpu', 'memory'] as const) : 'latency';
      alertKind = signal === 'latency' ? (entityKind === 'postgres' ? 'slow-queries' : 'latency') : signal;
      const duration = random.int(3, 10);
      const magnitude = {
        latency: random.range(2, 6),
        errors: random.range(3, 10),
        cpu: random.range(2, 4),
        memory: random.range(2, 5),
      }[signal];
      own.push({
        type: 'anomaly',
        target,
        at: `+${minuteAt}m`,
        params: { signal, durationMinutes: duration, magnitude: Number(magnitude.toFixed(2)) },
      });
      scenario.noise = own;
      const { series } = alertOf(alertKind, target, entityKind);
      const fired = await firstFiring(
        scenario,
        refOf(system, target),
        { series, ratio: 1.3, forMs: random.int(1, 2) * 30_000 },
        {
          baselineEnd: at(scenario, minuteAt),
          from: at(scenario, minuteAt),
          until: at(scenario, minuteAt + duration),
        },
      );
      triggerAt = fired ?? at(scenario, minuteAt + Math.ceil(duration * 0.4));
      severity = random.weighted<Severity>([
        ['P2', 1],
        ['P3', 3],
        ['P4', 5],
        ['P5', 1],
      ]);
      break;
    }
    case 'rollout': {
      target = random.pick(services);
      alertKind = random.pick(['latency', 'cpu'] as const);
      own.push({ type: 'deploy', target, at: `+${minuteAt}m` });
      scenario.noise = own;
      const { series } = alertOf(alertKind, target, 'service');
      const fired = await firstFiring(
        scenario,
        refOf(system, target),
        { series, ratio: 1.15, forMs: 0 },
        {
          baselineEnd: at(scenario, minuteAt),
          from: at(scenario, minuteAt),
          until: at(scenario, minuteAt + 4),
        },
      );
      triggerAt = fired ?? at(scenario, minuteAt + random.int(1, 3));
      severity = random.weighted<Severity>([
        ['P2', 1],
        ['P3', 2],
        ['P4', 5],
        ['P5', 2],
      ]);
      break;
    }
    case 'flap': {
      target = random.pick(
        names.filter((name) => ['service', 'redis', 'postgres', 'queue'].includes(kindOf(system, name))),
      );
      const entityKind = kindOf(system, target);
      alertKind = random.pick(alertKindsOf[entityKind]);
      severity = random.weighted<Severity>([
        ['P3', 2],
        ['P4', 5],
        ['P5', 3],
      ]);
      const period = random.int(10, 30);
      const count = random.int(5, 10);
      const cycle = random.int(2, count - 1);
      const first = Math.max(10, minuteAt - cycle * period);
      triggerAt = at(scenario, first + cycle * period);
      own.push({
        type: 'flapping-alert',
        target,
        at: `+${first}m`,
        params: {
          alert: alertOf(alertKind, target, entityKind).alert,
          severity,
          periodMinutes: period,
          firingMinutes: random.int(2, Math.min(6, period - 2)),
          count,
        },
      });
      break;
    }
    case 'shift': {
      target = random.pick(services);
      const signal = random.pick(['memory', 'cpu'] as const);
      alertKind = signal;
      const duration = random.int(120, 240);
      const magnitude = signal === 'memory' ? random.range(2, 4) : random.range(1.5, 2.5);
      own.push({
        type: 'anomaly',
        target,
        at: `+${minuteAt - 60}m`,
        params: { signal, durationMinutes: duration, magnitude: Number(magnitude.toFixed(2)) },
      });
      // Near the top of the bump: it has shifted and stays there for a while, not still climbing.
      triggerAt = at(scenario, minuteAt - 60 + Math.round(duration * random.range(0.5, 0.65)));
      severity = random.weighted<Severity>([
        ['P3', 1],
        ['P4', 3],
        ['P5', 1],
      ]);
      break;
    }
    case 'quiet': {
      const databases = names.filter((name) => kindOf(system, name) === 'postgres');
      target = random.pick(databases);
      alertKind = 'slow-queries';
      own.push({
        type: 'config-change',
        target,
        at: `+${minuteAt}m`,
        params: { key: random.pick(['work_mem', 'statement_timeout', 'log_min_duration_statement']) },
      });
      triggerAt = at(scenario, minuteAt + 1);
      severity = random.weighted<Severity>([
        ['P4', 1],
        ['P5', 2],
      ]);
      break;
    }
  }
  const entityKind = kindOf(system, target);
  const alert =
    kind === 'quiet' ? 'PostgresqlConfigurationChanged' : alertOf(alertKind, target, entityKind).alert;
  scenario.noise = [...own, ...backgroundNoise(random, system, target, minutesOf(scenario, triggerAt))];
  scenario.trigger = { alert, entity: refOf(system, target), severity, at: offset(scenario, triggerAt) };
  if (await missized(scenario, system, triggerAt)) return undefined;
  const { decision, why } = rubricDecision(kind, severity);
  scenario.expect = { decision };
  return { scenario, case: kind, why: `${kind} on ${target}: ${why}` };
}

/**
 * A development set for triage: `count` scenarios on random systems, each a real fault (alerted where an
 * alert rule upstream of it first fires) or one of the kinds of noise the rubric tells apart — a blip, a
 * rollout's own bump, a flapping alert, a lasting shift without impact, an alert with nothing behind it — with
 * unrelated deploys, changes, flapping alerts and chat around. The expected decision of each comes from the
 * rubric ({@link rubricDecision}) and what is true, never from what the engine does. Tune on it; report the
 * built-in library.
 *
 * @param options - the seed and the count
 */
export async function generateScenarioVariants(options: VariantOptions): Promise<ScenarioVariant[]> {
  const variants: ScenarioVariant[] = [];
  for (let index = 0; variants.length < options.count && index < options.count * 4; index++) {
    const random = new SeededRandom(options.seed * 100_003 + index);
    const system = randomSystem(random, index);
    const kind = random.weighted<VariantCase>([
      ['fault', 9],
      ['blip', 4],
      ['rollout', 3],
      ['flap', 2],
      ['shift', 2],
      ['quiet', 1],
    ]);
    const scenario = baseScenario(
      random,
      system,
      `variant-${options.seed}-${index}-${kind}`,
      random.int(1, 1_000_000),
    );
    const variant =
      kind === 'fault'
        ? await faultVariant(random, system, scenario)
        : await noiseVariant(random, system, scenario, kind);
    if (!variant) continue;
    variants.push({ ...variant, scenario: parseScenario(variant.scenario) });
  }
  return variants;
}
