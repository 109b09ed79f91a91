import { InvalidInputError, type JsonValue } from '@aisre/core';

/** How the actuator checks a parameter's value: yes/no, one of a list, an integer in range, or a memory size. */
export type ConfigParameterRule =
  | { kind: 'yes-no' }
  | { kind: 'choice'; values: readonly string[] }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'memory'; min: number };

const yesNo: ConfigParameterRule = { kind: 'yes-no' };
const integer = (min: number, max: number): ConfigParameterRule => ({ kind: 'integer', min, max });

/** The eviction policies Redis knows. */
export const evictionPolicies = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
] as const;

/**
 * The parameters the actuator may change, with the values it accepts: memory and eviction, defragmentation,
 * lazy freeing, the slowlog and latency monitor, client timeouts and limits, the server's frequency.
 * Credentials, files, paths, ports, persistence and replication (`requirepass`, `masterauth`, `dir`,
 * `dbfilename`, `save`, `appendonly`, `replicaof`, ACLs, …) are not on the list and are always refused.
 */
export const configSetRules: Readonly<Record<string, ConfigParameterRule>> = {
  maxmemory: { kind: 'memory', min: 1024 * 1024 },
  'maxmemory-policy': { kind: 'choice', values: evictionPolicies },
  'maxmemory-samples': integer(1, 64),
  'maxmemory-eviction-tenacity': integer(0, 100),
  activedefrag: yesNo,
  'active-defrag-ignore-bytes': { kind: 'memory', min: 0 },
  'active-defrag-threshold-lower': integer(0, 100),
  'active-defrag-threshold-upper': integer(0, 100),
  'active-defrag-cycle-min': integer(1, 99),
  'active-defrag-cycle-max': integer(1, 99),
  'lazyfree-lazy-eviction': yesNo,
  'lazyfree-lazy-expire': yesNo,
  'lazyfree-lazy-server-del': yesNo,
  'lazyfree-lazy-user-del': yesNo,
  'lazyfree-lazy-user-flush': yesNo,
  'slowlog-log-slower-than': integer(-1, 3_600_000_000),
  'slowlog-max-len': integer(0, 100_000),
  'latency-monitor-threshold': integer(0, 3_600_000),
  'latency-tracking': yesNo,
  timeout: integer(0, 31_536_000),
  'tcp-keepalive': integer(0, 86_400),
  maxclients: integer(1, 1_000_000),
  hz: integer(1, 500),
  'dynamic-hz': yesNo,
};

const memoryUnits: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 ** 2,
  mb: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1024 ** 3,
};

/**
 * Bytes of a Redis memory value: `67108864`, `64mb`, `1gb` (k/m/g are powers of 1000, kb/mb/gb of 1024).
 *
 * @param value - the value as CONFIG GET returns it or a user writes it
 * @returns the bytes, or `undefined` when it is not a memory value
 */
export function memoryBytes(value: string): number | undefined {
  const match = /^(\d+)\s*([kmg]?b?)$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = memoryUnits[(match[2] ?? '').toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Number(match[1]) * unit;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function refuse(parameter: string, problem: string): never {
  throw new InvalidInputError(`connector-redis: redis.config-set of ${parameter}: ${problem}`, {
    issues: [{ path: ['parameters', 'value'], message: problem }],
  });
}

/** True when the actuator may change this parameter. */
export function isAllowedParameter(parameter: string): boolean {
  return Object.hasOwn(configSetRules, parameter);
}

/**
 * The value to send with CONFIG SET, checked against the parameter's rule: `yes`/`no` (booleans accepted),
 * one of a list, an integer in range, or a memory size (written as bytes).
 *
 * @param parameter - an allowed parameter
 * @param value - the requested value
 * @throws {@link InvalidInputError} naming the parameter and what values it takes
 */
export function normaliseConfigValue(parameter: string, value: JsonValue): string {
  const rule = configSetRules[parameter];
  if (!rule)
    refuse(
      parameter,
      `not a parameter the actuator may change (allowed: ${Object.keys(configSetRules).join(', ')})`,
    );
  switch (rule.kind) {
    case 'yes-no': {
      if (value === true || value === false) return value ? 'yes' : 'no';
      const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
      if (text === 'yes' || text === 'no') return text;
      return refuse(parameter, `expected yes or no (got ${JSON.stringify(value)})`);
    }
    case 'choice': {
      const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
      if (rule.values.includes(text)) return text;
      return refuse(parameter, `expected one of ${rule.values.join(', ')} (got ${JSON.stringify(value)})`);
    }
    case 'integer': {
      const number =
        typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
      if (!Number.isInteger(number) || number < rule.min || number > rule.max) {
        return refuse(
          parameter,
          `expected a whole number from ${rule.min} to ${rule.max} (got ${JSON.stringify(value)})`,
        );
      }
      return String(number);
    }
    case 'memory': {
      const bytes =
        typeof value === 'number'
          ? Number.isSafeInteger(value) && value >= 0
            ? value
            : undefined
          : typeof value === 'string'
            ? memoryBytes(value)
            : undefined;
      if (bytes === undefined) {
        return refuse(
          parameter,
          `expected a size in bytes, or with a unit like 128mb or 2gb (got ${JSON.stringify(value)})`,
        );
      }
      if (bytes !== 0 && bytes < rule.min) {
        return refuse(parameter, `expected 0 or at least ${rule.min} bytes (got ${bytes})`);
      }
      return String(bytes);
    }
  }
}

/**
 * True when two values of a parameter mean the same (`67108864` and `64mb`, `YES` and `yes`).
 *
 * @param parameter - the parameter
 * @param left - one value
 * @param right - the other
 */
export function sameConfigValue(parameter: string, left: string, right: string): boolean {
  if (configSetRules[parameter]?.kind === 'memory') {
    const a = memoryBytes(left);
    return a !== undefined && a === memoryBytes(right);
  }
  return left.trim().toLowerCase() === right.trim().toLowerCase();
}
