import { AisreError, ConnectorError } from '@aisre/core';

/** Where a failure happened: while connecting, or running a command. */
export type FailurePhase = 'connect' | 'command';

/** What the error messages need to know about the connection. */
export interface ErrorScope {
  /** The connector's name. */
  connector: string;
  /** `host:port`. */
  address: string;
  /** The password, scrubbed from every message. */
  password: string | undefined;
}

const replyErrorNames = new Set(['ReplyError', 'SimpleError', 'BlobError']);

/** True when the server answered with an error reply (`-ERR …`), rather than the connection failing. */
export function isReplyError(error: unknown): error is Error {
  return error instanceof Error && replyErrorNames.has(error.name);
}

function scrub(text: string, scope: ErrorScope): string {
  return scope.password ? text.split(scope.password).join('***') : text;
}

function connectorError(
  scope: ErrorScope,
  message: string,
  retryable: boolean,
  cause: unknown,
): ConnectorError {
  return new ConnectorError(scope.connector, scrub(`connector-redis: ${message}`, scope), {
    isRetryable: retryable,
    cause,
  });
}

const closedConnection =
  /Connection is closed|Stream isn't writeable|Command aborted due to connection close/i;

/**
 * True for the generic errors ioredis gives commands when the connection is gone ("Connection is closed",
 * "Stream isn't writeable"): the `error` event before them carries the reason.
 */
export function isClosedConnectionError(error: unknown): boolean {
  return error instanceof Error && closedConnection.test(error.message) && !isReplyError(error);
}

/** The server's error reply as a `ConnectorError` that says what to do. */
function fromReply(error: Error, what: string, scope: ErrorScope): ConnectorError {
  const reply = error.message;
  const code = reply.split(' ', 1)[0] ?? '';
  if (
    code === 'WRONGPASS' ||
    code === 'NOAUTH' ||
    /invalid password|invalid username-password/i.test(reply)
  ) {
    return connectorError(
      scope,
      `authentication to ${scope.address} failed (${reply}): check the user name and password in REDIS_URL, REDIS_USERNAME/REDIS_PASSWORD or the connector's options`,
      false,
      error,
    );
  }
  if (code === 'NOPERM') {
    return connectorError(
      scope,
      `${what} was refused by ${scope.address} (${reply}): grant the connector's ACL user +info +slowlog +latency +config|get +client|list +memory|stats (and +config|set for the actuator)`,
      false,
      error,
    );
  }
  if (code === 'LOADING') {
    return connectorError(
      scope,
      `${scope.address} is loading its data set (${reply}): try again once it has finished`,
      true,
      error,
    );
  }
  if (code === 'BUSY') {
    return connectorError(
      scope,
      `${scope.address} is busy running a script (${reply}): try again later, or end the script with SCRIPT KILL`,
      true,
      error,
    );
  }
  if (/^ERR unknown (sub)?command/i.test(reply)) {
    return connectorError(
      scope,
      `${scope.address} does not know ${what} (${reply}): the command may be renamed or disabled on this server, or the server too old for it`,
      false,
      error,
    );
  }
  return connectorError(scope, `${what} failed on ${scope.address}: ${reply}`, false, error);
}

/**
 * Turns whatever a client call threw into a {@link ConnectorError} whose message starts with
 * `connector-redis:` and says what to do; errors of the SDK pass through unchanged.
 *
 * @param error - what was thrown
 * @param what - the command, e.g. `INFO`
 * @param phase - connecting or running the command
 * @param scope - the connection, for the message
 */
export function toConnectorError(
  error: unknown,
  what: string,
  phase: FailurePhase,
  scope: ErrorScope,
): AisreError {
  if (AisreError.isInstance(error)) return error;
  if (isReplyError(error)) return fromReply(error, what, scope);
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return connectorError(
        scope,
        `cannot connect to ${scope.address} (connection refused): check that Redis is running there and that REDIS_URL points at it`,
        true,
        error,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return connectorError(
        scope,
        `cannot resolve the host of ${scope.address} (${code}): check the host name in REDIS_URL`,
        code === 'EAI_AGAIN',
        error,
      );
    case 'ETIMEDOUT':
      return connectorError(
        scope,
        `connecting to ${scope.address} timed out: check the server is reachable (firewall, network) or raise connectTimeoutMs`,
        true,
        error,
      );
    case 'ECONNRESET':
    case 'EPIPE':
      return connectorError(
        scope,
        `the connection to ${scope.address} was reset during ${what}: try again; if it persists, check the server's log (maxclients, timeout, a proxy)`,
        true,
        error,
      );
    default:
      break;
  }
  if (/Unknown RESP type|Protocol error|not RESP/i.test(message)) {
    return connectorError(
      scope,
      `${scope.address} answered ${what} with something that is not the Redis protocol (${message}): check that the address is a Redis server, and use rediss:// if it expects TLS`,
      false,
      error,
    );
  }
  if (closedConnection.test(message)) {
    return connectorError(
      scope,
      phase === 'connect'
        ? `the connection to ${scope.address} closed while connecting: check that the address is a Redis server and the credentials are right`
        : `the connection to ${scope.address} was lost during ${what}: try again`,
      true,
      error,
    );
  }
  return connectorError(scope, `${what} on ${scope.address} failed: ${message}`, false, error);
}

/**
 * A reply that does not have the shape a command returns: the server (or what answers in its place) is not
 * behaving like Redis.
 *
 * @param what - the command
 * @param expected - what shape was expected
 * @param scope - the connection, for the message
 */
export function malformedReply(what: string, expected: string, scope: ErrorScope): ConnectorError {
  return connectorError(
    scope,
    `${scope.address} answered ${what} with a malformed reply (expected ${expected}): check that the address is a Redis server`,
    false,
    undefined,
  );
}
