import { ConnectorError } from '@aisre/core';

/** The module every message starts with. */
export const moduleName = 'connector-postgres';

/** Where the connector connects, for messages: never the password. */
export interface ConnectionTarget {
  /** Host name, address or socket directory. */
  host: string;
  /** Port. */
  port: number;
  /** Database name. */
  database: string;
  /** Role name, when known. */
  user: string | undefined;
}

/** `user@host:port/database`, for messages. */
export function describeTarget(target: ConnectionTarget): string {
  return `${target.user ? `${target.user}@` : ''}${target.host}:${target.port}/${target.database}`;
}

interface ErrorFields {
  code: string | undefined;
  message: string;
}

function fieldsOf(error: unknown): ErrorFields {
  if (error && typeof error === 'object') {
    const record = error as { code?: unknown; message?: unknown };
    return {
      code: typeof record.code === 'string' ? record.code : undefined,
      message: typeof record.message === 'string' ? record.message : String(error),
    };
  }
  return { code: undefined, message: String(error) };
}

/** The SQLSTATE or Node.js error code of a failure, when it has one. */
export function errorCode(error: unknown): string | undefined {
  return fieldsOf(error).code;
}

const reservedSlotsAdvice =
  'The connector reads through one persistent connection opened when it is created: create it (or call connect()) before the server fills up, ' +
  'and give it a role that keeps a slot free when applications take all others (a superuser gets superuser_reserved_connections; ' +
  'from PostgreSQL 16, reserved_connections for members of pg_use_reserved_connections).';

interface Explanation {
  text: string;
  isRetryable: boolean;
}

/** What a connection failure means and what to do, by SQLSTATE or Node.js error code. */
function explainConnectFailure(fields: ErrorFields, target: ConnectionTarget): Explanation {
  const where = describeTarget(target);
  switch (fields.code) {
    case '53300':
      return {
        text: `the server refuses new connections (53300 ${fields.message}): it is saturated. ${reservedSlotsAdvice}`,
        isRetryable: true,
      };
    case '28P01':
      return {
        text: `password authentication failed (28P01) for ${where}: the credentials are wrong, so trying again will not help; fix the password in the connection string, PGPASSWORD or ~/.pgpass`,
        isRetryable: false,
      };
    case '28000':
      return {
        text: `the server rejects this role or host (28000 ${fields.message}): add a pg_hba.conf entry for it or connect as another role`,
        isRetryable: false,
      };
    case '3D000':
      return {
        text: `the database does not exist (3D000 ${fields.message}): fix the database name in the connection string or PGDATABASE`,
        isRetryable: false,
      };
    case '57P03':
      return {
        text: `the server is starting up or shutting down (57P03 ${fields.message}): try again shortly`,
        isRetryable: true,
      };
    case 'ECONNREFUSED':
      return {
        text: `nothing accepts connections at ${target.host}:${target.port} (ECONNREFUSED): check that PostgreSQL runs and listens there`,
        isRetryable: true,
      };
    case 'ENOTFOUND':
      return {
        text: `the host name ${target.host} does not resolve (ENOTFOUND): fix the host in the connection string or PGHOST`,
        isRetryable: false,
      };
    case 'EAI_AGAIN':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return {
        text: `the network failed (${fields.code} ${fields.message}): check that ${target.host}:${target.port} is reachable, then try again`,
        isRetryable: true,
      };
    default:
      break;
  }
  if (/password must be a string|no password/i.test(fields.message)) {
    return {
      text: `the server asks for a password and none was given: set it in the connection string, PGPASSWORD or ~/.pgpass`,
      isRetryable: false,
    };
  }
  if (/timeout expired|timed out/i.test(fields.message)) {
    return {
      text: `the server did not complete the connection in time (${fields.message}): it may be overloaded or not a PostgreSQL server; try again or raise connectTimeoutMs`,
      isRetryable: true,
    };
  }
  if (/terminated|closed|ended/i.test(fields.message)) {
    return {
      text: `the server closed the connection while it was being opened (${fields.message}): try again`,
      isRetryable: true,
    };
  }
  if (fields.code?.startsWith('08') || fields.code?.startsWith('53') || fields.code?.startsWith('57P')) {
    return { text: `${fields.message} (${fields.code}): try again`, isRetryable: true };
  }
  return {
    text: `${fields.message}${fields.code ? ` (${fields.code})` : ''}: check the connection settings`,
    isRetryable: false,
  };
}

/**
 * The {@link ConnectorError} for a failure to open the connection: retryable for a saturated server
 * (`53300`), a refused or broken network connection and a timeout; not retryable for wrong credentials
 * (`28P01`), an unknown database or a rejected role.
 *
 * @param connector - the connector's name
 * @param error - what `connect` threw
 * @param target - where it connected
 */
export function connectFailure(connector: string, error: unknown, target: ConnectionTarget): ConnectorError {
  const explanation = explainConnectFailure(fieldsOf(error), target);
  return new ConnectorError(
    connector,
    `${moduleName}: cannot open a connection to ${describeTarget(target)}: ${explanation.text}`,
    { cause: error, isRetryable: explanation.isRetryable },
  );
}

/** True when a failure means the connection itself is gone (it must be re-opened before the next call). */
export function isConnectionLoss(error: unknown): boolean {
  const { code, message } = fieldsOf(error);
  if (code?.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P05') return true;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT') return true;
  return /Connection terminated|not queryable|Client was closed|stream is not writable/i.test(message);
}

/**
 * The {@link ConnectorError} for a failed statement: retryable when the statement timed out, was cancelled by
 * the server or lost its connection; not retryable when the role lacks a privilege or the server does not know
 * the query (an older PostgreSQL).
 *
 * @param connector - the connector's name
 * @param what - what was being read (`pg_stat_activity`)
 * @param error - what the query threw
 * @param statementTimeoutMs - the statement timeout in force
 */
export function statementFailure(
  connector: string,
  what: string,
  error: unknown,
  statementTimeoutMs: number,
): ConnectorError {
  const fields = fieldsOf(error);
  const fail = (text: string, isRetryable: boolean) =>
    new ConnectorError(connector, `${moduleName}: reading ${what} failed: ${text}`, {
      cause: error,
      isRetryable,
    });
  if (fields.code === '57014') {
    return fail(
      `the statement ran past the statement timeout of ${statementTimeoutMs} ms (57014 ${fields.message}): the server is slow or the catalog is locked; try again or raise statementTimeoutMs`,
      true,
    );
  }
  if (fields.code === '42501') {
    return fail(
      `permission denied (42501 ${fields.message}): grant the connector's role pg_monitor (to read) or pg_signal_backend (to terminate sessions)`,
      false,
    );
  }
  if (isConnectionLoss(error)) {
    return fail(
      `the connection was lost (${fields.code ?? fields.message}): it is re-opened on the next call; try again`,
      true,
    );
  }
  if (fields.code?.startsWith('42')) {
    return fail(
      `the server does not understand the catalog query (${fields.code} ${fields.message}): the connector needs PostgreSQL 10 or later`,
      false,
    );
  }
  if (fields.code?.startsWith('53') || fields.code?.startsWith('57') || fields.code?.startsWith('40')) {
    return fail(`${fields.message} (${fields.code}): try again`, true);
  }
  return fail(`${fields.message}${fields.code ? ` (${fields.code})` : ''}`, false);
}
