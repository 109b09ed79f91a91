import type { JsonValue, LogRecord } from '@aisre/core';
import type { RandomSource } from '../simulation/random';
import type { ErrorCode } from '../simulation/simulation-types';
import type { ModelEntity, SystemModel } from '../simulation/system-model';
import { clusterHost, databaseName, externalHost, routesOf, servicePorts } from './naming';

/** A log line before it gets its time and entity. */
export interface LogText {
  /** Level. */
  level: LogRecord['level'];
  /** Message. */
  message: string;
  /** Structured fields. */
  attributes: Record<string, JsonValue>;
}

const exceptions = [
  "TypeError: Cannot read properties of undefined (reading 'items')",
  'java.lang.NullPointerException: Cannot invoke "String.length()" because "currency" is null',
  'panic: runtime error: index out of range [3] with length 3',
  "KeyError: 'shipping_address'",
  'ValidationError: price must be a positive number',
  'java.lang.IllegalStateException: Duplicate key 0 (attempted merging values)',
];

function clientNames(model: SystemModel, entity: ModelEntity): string[] {
  const names = entity.incoming.map(
    (edge) => model.entities[model.edges[edge]?.from ?? -1]?.name.replace(/-/g, '_') ?? '',
  );
  return names.length > 0 ? names : ['postgres'];
}

function address(random: RandomSource): string {
  return `10.${random.integer(0, 3)}.${random.integer(0, 255)}.${random.integer(2, 254)}`;
}

/** The error a caller logs when a call to `callee` fails, given the callee's main failure cause. */
export function callerErrorText(
  model: SystemModel,
  callee: ModelEntity,
  calleeCause: ErrorCode | undefined,
  random: RandomSource,
): LogText {
  const peer = { peer: callee.ref };
  switch (callee.kind) {
    case 'postgres': {
      const texts: Partial<Record<ErrorCode, [string, string]>> = {
        'pg-too-many-clients': ['sorry, too many clients already', '53300'],
        'pg-lock-timeout': ['canceling statement due to lock timeout', '55P03'],
        'pg-statement-timeout': ['canceling statement due to statement timeout', '57014'],
        'pg-disk-full': [
          `could not extend file "base/16384/${random.integer(16_000, 99_000)}": No space left on device`,
          '53100',
        ],
      };
      const [text, code] = texts[calleeCause ?? 'background'] ?? [
        'Connection terminated unexpectedly',
        '08006',
      ];
      return {
        level: 'error',
        message: `error: ${text}`,
        attributes: { ...peer, 'db.system': 'postgresql', code },
      };
    }
    case 'redis': {
      if (calleeCause === 'redis-oom') {
        return {
          level: 'error',
          message: "ReplyError: OOM command not allowed when used memory > 'maxmemory'.",
          attributes: { ...peer, 'db.system': 'redis' },
        };
      }
      if (calleeCause === 'redis-misconf') {
        return {
          level: 'error',
          message:
            "ReplyError: MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled.",
          attributes: { ...peer, 'db.system': 'redis' },
        };
      }
      return {
        level: 'error',
        message: 'ReplyError: LOADING Redis is loading the dataset in memory',
        attributes: { ...peer, 'db.system': 'redis' },
      };
    }
    case 'queue':
      return {
        level: 'error',
        message: `AMQP channel closed by server: 506 RESOURCE_ERROR publishing to ${callee.name}`,
        attributes: { ...peer, 'messaging.system': 'rabbitmq' },
      };
    case 'external': {
      const status = random.pick(['502 Bad Gateway', '503 Service Unavailable', '500 Internal Server Error']);
      return {
        level: 'error',
        message: `POST https://${externalHost(callee)}/v1/requests failed: ${status}`,
        attributes: { ...peer, 'http.response.status_code': Number.parseInt(status, 10) },
      };
    }
    default: {
      const status = random.next() < 0.7 ? 503 : 500;
      const route = routesOf(callee)[0] ?? '/';
      return {
        level: 'error',
        message: `call to http://${clusterHost(model, callee)}:${servicePorts.service}${route} failed: ${status} ${status === 503 ? 'Service Unavailable' : 'Internal Server Error'}`,
        attributes: { ...peer, 'http.response.status_code': status },
      };
    }
  }
}

/** The error a caller logs when a call to `callee` times out (`waiting`: it waited for a pooled connection). */
export function callerTimeoutText(
  model: SystemModel,
  callee: ModelEntity,
  timeoutSeconds: number,
  waiting: boolean,
  random: RandomSource,
): LogText {
  const peer = { peer: callee.ref, 'error.type': 'timeout' };
  switch (callee.kind) {
    case 'postgres':
      return waiting
        ? {
            level: 'error',
            message: 'Error: timeout exceeded when trying to connect',
            attributes: { ...peer, 'db.system': 'postgresql' },
          }
        : {
            level: 'error',
            message: 'Error: Query read timeout',
            attributes: { ...peer, 'db.system': 'postgresql' },
          };
    case 'redis':
      return {
        level: 'error',
        message: 'Error: Command timed out',
        attributes: { ...peer, 'db.system': 'redis' },
      };
    case 'queue':
      return {
        level: 'error',
        message: `timed out waiting for publisher confirm from ${callee.name} after ${timeoutSeconds * 1000}ms`,
        attributes: peer,
      };
    case 'external':
      return {
        level: 'error',
        message: `request to https://${externalHost(callee)}/v1/requests failed, reason: connect ETIMEDOUT 203.0.113.${random.integer(2, 250)}:443`,
        attributes: { ...peer, code: 'ETIMEDOUT' },
      };
    default:
      return {
        level: 'error',
        message: `upstream request to ${clusterHost(model, callee)}:${servicePorts.service} timed out after ${timeoutSeconds * 1000}ms (ETIMEDOUT ${address(random)}:${servicePorts.service})`,
        attributes: { ...peer, code: 'ETIMEDOUT' },
      };
  }
}

/** The error a service logs for a failure of its own. */
export function ownErrorText(
  entity: ModelEntity,
  code: ErrorCode,
  context: { version: string; configKey: string | undefined },
  random: RandomSource,
): LogText {
  const route = random.pick(routesOf(entity).slice(0, 2));
  switch (code) {
    case 'release-exception': {
      const exception =
        exceptions[(entity.name.length + context.version.length * 7) % exceptions.length] ?? 'Error';
      return {
        level: 'error',
        message: `unhandled exception in ${route}: ${exception}`,
        attributes: { 'service.version': context.version, route },
      };
    }
    case 'config-error': {
      const key = context.configKey ?? 'FEATURE_FLAGS';
      const text = random.pick([
        `failed to apply ${key}: unexpected token } in JSON at position ${random.integer(40, 900)}`,
        `invalid configuration: ${key} is not valid, falling back failed`,
        `request failed: configuration ${key} could not be parsed`,
      ]);
      return {
        level: 'error',
        message: text,
        attributes: { 'service.version': context.version, route, 'config.key': key },
      };
    }
    case 'disk-full':
      return {
        level: 'error',
        message: `ENOSPC: no space left on device, write '/var/lib/${entity.name}/cache/${random.hex(8)}.tmp'`,
        attributes: { code: 'ENOSPC' },
      };
    case 'oom-restart':
      return {
        level: 'error',
        message:
          'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
        attributes: { route },
      };
    case 'transient':
      return {
        level: 'error',
        message: `request failed: ${route} returned 503 (overloaded)`,
        attributes: { route },
      };
    default:
      return {
        level: 'error',
        message: random.pick([
          'context canceled',
          'client closed request before response was sent',
          `request to ${route} aborted: socket hang up`,
        ]),
        attributes: { route },
      };
  }
}

/** An ordinary line of an entry (startup chatter, access summaries, housekeeping). */
export function backgroundText(
  model: SystemModel,
  entity: ModelEntity,
  random: RandomSource,
  context: { version: string },
): LogText {
  switch (entity.kind) {
    case 'redis': {
      const text = random.pick([
        `${random.integer(100, 9000)} changes in 300 seconds. Saving...`,
        `Background saving started by pid ${random.integer(200, 9000)}`,
        'DB saved on disk',
        'Background saving terminated with success',
      ]);
      return { level: 'info', message: text, attributes: { 'db.system': 'redis' } };
    }
    case 'postgres': {
      const table = `${databaseName(entity)}.public.${random.pick(['items', 'sessions', 'events', 'accounts', 'orders'])}`;
      const text = random.pick([
        'checkpoint starting: time',
        `checkpoint complete: wrote ${random.integer(200, 4000)} buffers (${random.between(1, 12).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${random.integer(0, 3)} recycled`,
        `automatic vacuum of table "${table}": index scans: 1`,
        `automatic analyze of table "${table}"`,
        `connection authorized: user=${random.pick(clientNames(model, entity))} database=${databaseName(entity)}`,
      ]);
      return { level: 'info', message: text, attributes: { 'db.system': 'postgresql' } };
    }
    case 'queue':
      return {
        level: 'info',
        message: random.pick([
          `accepting AMQP connection <0.${random.integer(100, 9999)}.0> (${address(random)}:${random.integer(30000, 60000)} -> ${address(random)}:5672)`,
          `closing AMQP connection <0.${random.integer(100, 9999)}.0> (${address(random)}:${random.integer(30000, 60000)} -> ${address(random)}:5672, vhost: '/', user: '${model.namespace}')`,
        ]),
        attributes: { 'messaging.system': 'rabbitmq' },
      };
    case 'cronjob':
      return {
        level: 'info',
        message: random.pick([
          `processed ${random.integer(10, 900) * 100} records`,
          `checkpoint written (${random.integer(1, 99)}% done)`,
          'batch committed',
        ]),
        attributes: { job: entity.name },
      };
    default: {
      const route = random.pick(routesOf(entity));
      const status = route === '/healthz' ? 200 : random.pick([200, 200, 200, 201, 204, 304, 404]);
      return {
        level: 'info',
        message: `${route === '/healthz' ? 'GET' : random.pick(['GET', 'GET', 'POST'])} ${route} ${status}`,
        attributes: { route, 'http.response.status_code': status, 'service.version': context.version },
      };
    }
  }
}
