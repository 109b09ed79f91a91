import {
  type ActuationResult,
  type ActuatorCapability,
  type CallContext,
  type EntityRef,
  InvalidInputError,
  jsonValueSchema,
  parseWith,
  type RemediationAction,
  remediationActionSchema,
  throwIfAborted,
} from '@aisre/core';
import { z } from 'zod';
import { isAllowedParameter, memoryBytes, normaliseConfigValue, sameConfigValue } from './config-parameters';
import { infoNumber, parseInfo } from './info-parser';
import { malformedReply } from './redis-errors';
import { parsePairs, parseText } from './redis-replies';
import type { RedisSession } from './redis-session';

/** The action type the actuator applies. */
export const configSetActionType = 'redis.config-set';

const parametersSchema = z.object({ parameter: z.string().min(1), value: jsonValueSchema });

async function readParameter(
  session: RedisSession,
  parameter: string,
  context: CallContext,
): Promise<string> {
  const reply = await session.send('CONFIG GET', ['CONFIG', 'GET', parameter], context);
  const pair = parsePairs(reply, 'CONFIG GET', session.scope).find(([name]) => name === parameter);
  if (!pair) {
    throw malformedReply(
      `CONFIG GET ${parameter}`,
      `the parameter ${parameter} (is the server older than it?)`,
      session.scope,
    );
  }
  return pair[1];
}

/** A maxmemory below what the data set uses makes Redis evict (or refuse writes) at once: refuse it. */
async function checkMemoryLimit(session: RedisSession, value: string, context: CallContext): Promise<void> {
  const bytes = Number(value);
  if (bytes === 0) return;
  const info = parseInfo(
    parseText(await session.send('INFO memory', ['INFO', 'memory'], context), 'INFO', session.scope),
  );
  const used = infoNumber(info.memory?.used_memory);
  if (used !== undefined && bytes < used) {
    throw new InvalidInputError(
      `connector-redis: redis.config-set of maxmemory: ${bytes} bytes is below the ${used} bytes in use, which would make Redis evict or refuse writes at once; choose at least ${used}`,
      { issues: [{ path: ['parameters', 'value'], message: 'below used_memory' }] },
    );
  }
}

/**
 * The actuator of `redis.config-set` actions (`{ parameter, value }`) on one instance: only the parameters of
 * the allowlist (see `configSetRules`), with their values checked. A dry run reads the current value and says
 * what would change; an apply reads it, runs CONFIG SET, reads the value back, and returns both (for the audit
 * and for rollback). Changes are made at runtime only (no CONFIG REWRITE): a restart restores redis.conf.
 * Policy and approval are the resolver's: this is only called once they allow the action.
 *
 * @param session - the connection
 * @param entity - the instance the actuator changes
 */
export function createConfigSetActuator(session: RedisSession, entity: EntityRef): ActuatorCapability {
  const supports = (action: RemediationAction): boolean =>
    action.type === configSetActionType &&
    action.target === entity &&
    typeof action.parameters?.parameter === 'string' &&
    isAllowedParameter(action.parameters.parameter);

  return {
    supports,
    async apply(action, options, context): Promise<ActuationResult> {
      const valid = parseWith(remediationActionSchema, action, 'connector-redis: action');
      if (valid.type !== configSetActionType || valid.target !== entity) {
        throw new InvalidInputError(
          `connector-redis: this actuator applies ${configSetActionType} to ${entity} only (got ${valid.type} on ${valid.target}): route the action to the connector of its target`,
          { issues: [{ path: ['type'], message: `expected ${configSetActionType} on ${entity}` }] },
        );
      }
      const { parameter, value } = parseWith(
        parametersSchema,
        valid.parameters,
        'connector-redis: redis.config-set parameters',
      );
      const requested = normaliseConfigValue(parameter, value);
      throwIfAborted(context.signal, 'connector-redis: redis.config-set');
      const previous = await readParameter(session, parameter, context);
      const unchanged = sameConfigValue(parameter, previous, requested);
      if (parameter === 'maxmemory' && !unchanged) await checkMemoryLimit(session, requested, context);
      const rollback = {
        type: configSetActionType,
        target: entity,
        parameters: { parameter, value: previous },
      };
      if (options.dryRun || unchanged) {
        return {
          applied: false,
          dryRun: options.dryRun,
          summary: unchanged
            ? `${parameter} of ${entity} is already ${previous}: nothing to change`
            : `would set ${parameter} of ${entity} from ${previous} to ${requested} (CONFIG SET, runtime only)`,
          details: { parameter, previous, requested, wouldChange: !unchanged },
        };
      }
      await session.send('CONFIG SET', ['CONFIG', 'SET', parameter, requested], context);
      const current = await readParameter(session, parameter, context);
      const verified = sameConfigValue(parameter, current, requested);
      const shown = (text: string) => {
        const bytes = parameter === 'maxmemory' ? memoryBytes(text) : undefined;
        return bytes === undefined ? text : `${text} (${Math.round(bytes / 1024 / 1024)} MiB)`;
      };
      return {
        applied: true,
        dryRun: false,
        summary: verified
          ? `set ${parameter} of ${entity} from ${shown(previous)} to ${shown(current)} (CONFIG SET, runtime only: not written to redis.conf)`
          : `set ${parameter} of ${entity} from ${previous} to ${requested}, but it reads back as ${current}: check the server`,
        details: { parameter, previous, requested, current, verified, runtimeOnly: true, rollback },
      };
    },
  };
}
