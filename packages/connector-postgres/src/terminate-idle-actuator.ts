// The actuator: `postgres.terminate-idle`, as the remediation catalogue proposes it. It terminates only client
// sessions idle in a transaction (or in an aborted one) for longer than the threshold, never its own backend,
// and re-checks the state in the very statement that terminates, so a session that became active since it was
// seen is left alone. Policy and approval are the resolver's job; this only does what it was asked.
import {
  type ActuationResult,
  type ActuatorCapability,
  type CallContext,
  ConnectorError,
  InvalidInputError,
  parseWith,
  type RemediationAction,
  remediationActionSchema,
  throwIfAborted,
} from '@aisre/core';
import { z } from 'zod';
import { type CatalogQuery, readCatalog } from './catalog-queries';
import { moduleName } from './postgres-errors';
import type { PostgresReader } from './postgres-reader';
import { safeQueryText } from './query-text-redaction';

/** The action type this actuator applies. */
export const terminateIdleActionType = 'postgres.terminate-idle';

/** The parameters of a `postgres.terminate-idle` action. */
export interface TerminateIdleParameters {
  /** Only sessions idle in a transaction for longer than this, seconds. */
  olderThanSeconds: number;
  /** Only sessions of this database. */
  database?: string;
  /** Only sessions of this role. */
  user?: string;
  /** Only sessions with this `application_name`. */
  applicationName?: string;
}

/** Zod schema of {@link TerminateIdleParameters} (strict: an unknown filter is an error, not ignored). */
export const terminateIdleParametersSchema: z.ZodType<TerminateIdleParameters> = z.strictObject({
  olderThanSeconds: z
    .number()
    .positive()
    .max(30 * 86_400),
  database: z.string().min(1).max(63).optional(),
  user: z.string().min(1).max(63).optional(),
  applicationName: z.string().min(1).max(63).optional(),
});

interface TerminationRow {
  pid: number;
  datname: string | null;
  usename: string | null;
  application_name: string | null;
  state: string;
  idle_seconds: number;
  query: string | null;
  terminated: boolean;
}

function terminationQuery(apply: boolean): CatalogQuery<TerminationRow> {
  const name = apply ? 'terminate-idle' : 'terminate-idle-dry-run';
  return {
    name,
    reads: apply ? 'pg_stat_activity (terminating sessions)' : 'pg_stat_activity (sessions to terminate)',
    text: `/* ${moduleName}: ${name} */ SELECT a.pid, a.datname::text AS datname, a.usename::text AS usename, a.application_name, a.state, extract(epoch FROM now() - a.state_change)::float8 AS idle_seconds, left(a.query, 2048) AS query, ${apply ? 'pg_catalog.pg_terminate_backend(a.pid)' : 'false'} AS terminated FROM pg_catalog.pg_stat_activity a WHERE a.state IN ('idle in transaction', 'idle in transaction (aborted)') AND a.backend_type = 'client backend' AND a.pid <> pg_catalog.pg_backend_pid() AND a.state_change < now() - make_interval(secs => $1::float8) AND ($2::text IS NULL OR a.datname = $2::text) AND ($3::text IS NULL OR a.usename = $3::text) AND ($4::text IS NULL OR a.application_name = $4::text) ORDER BY a.state_change, a.pid`,
    row: z.object({
      pid: z.number(),
      datname: z.string().nullable(),
      usename: z.string().nullable(),
      application_name: z.string().nullable(),
      state: z.enum(['idle in transaction', 'idle in transaction (aborted)']),
      idle_seconds: z.number(),
      query: z.string().nullable(),
      terminated: z.boolean(),
    }),
  };
}

function filtersText(parameters: TerminateIdleParameters): string {
  const filters = [
    parameters.database ? `database ${parameters.database}` : undefined,
    parameters.user ? `role ${parameters.user}` : undefined,
    parameters.applicationName ? `application ${parameters.applicationName}` : undefined,
  ].filter(Boolean);
  return filters.length > 0 ? ` (${filters.join(', ')})` : '';
}

/**
 * The actuator of the connector: applies `postgres.terminate-idle` to its own entity.
 *
 * @param reader - the session and the server's identity
 */
export function createTerminateIdleActuator(reader: PostgresReader): ActuatorCapability {
  const supports = (action: RemediationAction): boolean =>
    action?.type === terminateIdleActionType && action.target === reader.entity;
  return {
    supports,
    async apply(action, options, context: CallContext): Promise<ActuationResult> {
      throwIfAborted(context.signal, `${moduleName}: actuator`);
      const valid = parseWith(remediationActionSchema, action, `${moduleName}: action`);
      if (!supports(valid)) {
        throw new ConnectorError(
          reader.connector,
          `${moduleName}: cannot apply ${valid.type} to ${valid.target}: this actuator applies only ${terminateIdleActionType} to ${reader.entity}`,
        );
      }
      if (typeof options?.dryRun !== 'boolean') {
        throw new InvalidInputError(`${moduleName}: actuator options need dryRun: true or false`, {
          issues: [{ path: ['dryRun'], message: 'expected a boolean' }],
        });
      }
      const parameters = parseWith(
        terminateIdleParametersSchema,
        valid.parameters,
        `${moduleName}: ${terminateIdleActionType} parameters`,
      );
      const apply = !options.dryRun;
      const rows = await readCatalog(
        reader.session,
        terminationQuery(apply),
        context.signal,
        reader.connector,
        [
          parameters.olderThanSeconds,
          parameters.database ?? null,
          parameters.user ?? null,
          parameters.applicationName ?? null,
        ],
      );
      const sessions = rows.map((row) => ({
        pid: row.pid,
        database: row.datname,
        user: row.usename,
        application: row.application_name,
        state: row.state,
        idleSeconds: Math.round(row.idle_seconds * 10) / 10,
        query: safeQueryText(row.query, reader.queryTextLength),
      }));
      const terminated = rows.filter((row) => row.terminated).map((row) => row.pid);
      const gone = apply ? rows.filter((row) => !row.terminated).map((row) => row.pid) : [];
      const scope = `session(s) of ${reader.entity} idle in a transaction for over ${parameters.olderThanSeconds} s${filtersText(parameters)}`;
      const list = sessions.map((session) => `${session.pid} (${session.idleSeconds} s)`).join(', ');
      const summary = apply
        ? `terminated ${terminated.length} ${scope}${terminated.length > 0 ? `: ${terminated.join(', ')}` : ''}${gone.length > 0 ? `; ${gone.length} had already ended: ${gone.join(', ')}` : ''}`
        : `would terminate ${sessions.length} ${scope}${sessions.length > 0 ? `: ${list}` : ''}`;
      return {
        applied: apply && terminated.length > 0,
        dryRun: !apply,
        summary,
        details: {
          olderThanSeconds: parameters.olderThanSeconds,
          ...(parameters.database ? { database: parameters.database } : {}),
          ...(parameters.user ? { user: parameters.user } : {}),
          ...(parameters.applicationName ? { applicationName: parameters.applicationName } : {}),
          ...(apply
            ? { terminated, notTerminated: gone }
            : { wouldTerminate: sessions.map((session) => session.pid) }),
          sessions,
        },
      };
    },
  };
}
